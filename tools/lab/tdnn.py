import sys, time; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np
from fl import load_all
from ev import folds
TASK=sys.argv[1]; EPOCHS=int(sys.argv[2]); FOLDS=[int(x) for x in sys.argv[3].split(',')] if len(sys.argv)>3 else range(5)
clips=load_all()
if TASK=='3': clips=[c for c in clips if c['emotion'] in ('angry','neutral','happy')]
classes=sorted(set(c['emotion'] for c in clips)); y=np.array([classes.index(c['emotion']) for c in clips])
actors=np.array([c['actor'] for c in clips])
def frames(c):
    e=20*np.log10(np.maximum(c['rms'],1e-5)); a=e>=e.max()-40
    m=c['mel'][:,:61]; m=m-m[a].mean()
    st=12*np.log2(np.maximum(c['f0'],1)/100); v=c['voiced']
    med=np.median(st[v]) if v.sum() else 0
    f0=np.where(v,st-med,0)
    F=np.hstack([m,f0[:,None],v[:,None].astype(float),(e-e.max())[:,None],c['mfcc'][:,1:13]])
    return F.astype(np.float32), a
data=[frames(c) for c in clips]
def ctx(H,k,d):
    # stack frames t-k*d..t+k*d (edge padded)
    T=H.shape[0]; idx=np.clip(np.arange(T)[:,None]+np.arange(-k,k+1)[None,:]*d,0,T-1)
    return H[idx].reshape(T,-1), idx
rng=np.random.default_rng(0)
def init(i,o): return (rng.standard_normal((i,o))*np.sqrt(2/i)).astype(np.float32), np.zeros(o,np.float32)
def run_fold(k):
    f=folds(actors); tr=np.where(f!=k)[0]; te=np.where(f==k)[0]
    allF=np.vstack([data[i][0] for i in tr]); mu=allF.mean(0); sd=allF.std(0)+1e-5
    D=allF.shape[1]; H1=128; H2=128; H3=256; H4=128; C=len(classes)
    P={}
    P['W1'],P['b1']=init(5*D,H1); P['W2'],P['b2']=init(5*H1,H2); P['W3'],P['b3']=init(H2,H3)
    P['W4'],P['b4']=init(2*H3,H4); P['W5'],P['b5']=init(H4,C)
    M={n:np.zeros_like(p) for n,p in P.items()}; V={n:np.zeros_like(p) for n,p in P.items()}
    cw=len(tr)/(C*np.bincount(y[tr],minlength=C))
    lr=1e-3; l2=1e-4; step=0
    def forward(F,a,train):
        X=(F-mu)/sd
        if train:
            T=len(X); L=int(T*rng.uniform(0.6,1.0)); s=rng.integers(0,T-L+1); X=X[s:s+L]; a=a[s:s+L]
            if a.sum()<5: a=np.ones(len(X),bool)
        x1,i1=ctx(X,2,1); z1=x1@P['W1']+P['b1']; h1=np.maximum(z1,0)
        x2,i2=ctx(h1,2,2); z2=x2@P['W2']+P['b2']; h2=np.maximum(z2,0)
        z3=h2@P['W3']+P['b3']; h3=np.maximum(z3,0)
        ha=h3[a]; T=len(ha); m=ha.mean(0); s=np.sqrt(ha.var(0)+1e-5)
        p=np.concatenate([m,s])
        mask=None
        if train: mask=(rng.random(p.shape)>0.3)/0.7; p=p*mask
        z4=p@P['W4']+P['b4']; h4=np.maximum(z4,0)
        z5=h4@P['W5']+P['b5']
        cache=(X,a,x1,i1,z1,h1,x2,i2,z2,h2,z3,h3,ha,m,s,p,mask,z4,h4)
        return z5,cache
    def backward(dz5,cache):
        X,a,x1,i1,z1,h1,x2,i2,z2,h2,z3,h3,ha,m,s,p,mask,z4,h4=cache
        G={}
        G['W5']=np.outer(h4,dz5); G['b5']=dz5; dh4=P['W5']@dz5; dz4=dh4*(z4>0)
        G['W4']=np.outer(p,dz4); G['b4']=dz4; dp=P['W4']@dz4
        if mask is not None: dp=dp*mask
        H3=len(m); dm=dp[:H3]; ds=dp[H3:]; T=len(ha)
        dha=dm[None,:]/T + ds[None,:]*(ha-m)/(T*s)
        dh3=np.zeros_like(h3); dh3[a]=dha
        dz3=dh3*(z3>0); G['W3']=h2.T@dz3; G['b3']=dz3.sum(0); dh2=dz3@P['W3'].T
        dz2=dh2*(z2>0); G['W2']=x2.T@dz2; G['b2']=dz2.sum(0); dx2=(dz2@P['W2'].T).reshape(len(h1),5,-1)
        dh1=np.zeros_like(h1); np.add.at(dh1,i2,dx2)
        dz1=dh1*(z1>0); G['W1']=x1.T@dz1; G['b1']=dz1.sum(0)
        return G
    def predict(idx):
        out=[]
        for i in idx:
            z,_=forward(data[i][0],data[i][1],False); out.append(z)
        return np.array(out)
    B=16; accs=[]
    for ep in range(EPOCHS):
        perm=rng.permutation(tr); loss=0
        for b0 in range(0,len(perm),B):
            Gs=None
            for i in perm[b0:b0+B]:
                z,cache=forward(data[i][0],data[i][1],True)
                pz=np.exp(z-z.max()); pz/=pz.sum(); loss+=-np.log(pz[y[i]]+1e-9)*cw[y[i]]
                dz=pz.copy(); dz[y[i]]-=1; dz*=cw[y[i]]/B
                G=backward(dz,cache)
                Gs=G if Gs is None else {n:Gs[n]+G[n] for n in G}
            step+=1
            for n in P:
                g=Gs[n]+l2*P[n]
                M[n]=0.9*M[n]+0.1*g; V[n]=0.999*V[n]+0.001*g*g
                P[n]-=lr*(M[n]/(1-0.9**step))/(np.sqrt(V[n]/(1-0.999**step))+1e-8)
        if ep%5==4 or ep==EPOCHS-1:
            acc=(predict(te).argmax(1)==y[te]).mean()
            print(f'fold {k} ep {ep+1} loss {loss/len(tr):.3f} test {acc*100:.1f}',flush=True)
    return acc
t=time.time(); R=[run_fold(k) for k in FOLDS]
print('TASK',TASK,'mean',np.mean(R)*100,'time',time.time()-t)
