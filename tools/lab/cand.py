import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np
from lab import load
from fl import load_all
from ev import *
rows,X,names=load([os.environ.get('SER_LAB', '/work/lab') + '/emo.csv'])
clips=load_all(); _m={c['name']:c for c in clips}; clips=[_m[r[0].split('/')[-1].rsplit('.',1)[0]] for r in rows]
assert [c['name'] for c in clips]==[r[0].split('/')[-1].rsplit('.',1)[0] for r in rows], 'order'
y=np.array([c['emotion'] for c in clips]); actors=np.array([c['actor'] for c in clips])
def pct(v,q): return np.percentile(v,q) if len(v) else 0.0
def active(c):
    e=20*np.log10(np.maximum(c['rms'],1e-5)); return e>=e.max()-40
def g_voiced_mel(c):
    m=c['mel'][:,:61]; v=c['voiced']&active(c); u=(~c['voiced'])&active(c)
    lv=m[v].mean(0) if v.sum()>2 else m.mean(0); lu=m[u].mean(0) if u.sum()>2 else m.mean(0)
    lvl=lv.mean()
    return np.concatenate([lv-lvl, lu-lvl])
def g_vq(c):
    v=c['voiced']; mag=c['mag']; f0=c['f0']; out=[]
    a=np.clip(c['aper'][v],1e-3,1); hnr=10*np.log10((1-a+1e-3)/a)
    out+= [hnr.mean() if len(hnr) else 0, hnr.std() if len(hnr) else 0, pct(hnr,90) if len(hnr) else 0]
    # jitter/shimmer proxies over consecutive voiced frames
    idx=np.where(v[1:]&v[:-1])[0]
    if len(idx)>2:
        per=1/np.maximum(f0,1); jit=np.abs(per[idx+1]-per[idx])/per[idx]
        r=np.maximum(c['rms'],1e-6); shim=np.abs(20*np.log10(r[idx+1]/r[idx]))
        out+=[np.median(jit),jit.mean(),np.median(shim),shim.mean()]
    else: out+=[0,0,0,0]
    # H1-H2, alpha ratio, hammarberg on voiced frames
    hz=np.arange(257)*31.25
    P=mag**2+1e-12
    if v.sum()>2:
        Pv=P[v]; f=f0[v]
        h1=np.array([Pv[i,int(round(f[i]/31.25))] for i in range(len(f))])
        h2=np.array([Pv[i,min(int(round(2*f[i]/31.25)),256)] for i in range(len(f))])
        h12=10*np.log10(h1/h2)
        lo=Pv[:,(hz>=50)&(hz<1000)].sum(1); hi=Pv[:,(hz>=1000)&(hz<5000)].sum(1)
        alpha=10*np.log10(lo/hi)
        ham=10*np.log10(Pv[:,(hz<2000)].max(1)/Pv[:,(hz>=2000)&(hz<5000)].max(1))
        out+=[h12.mean(),h12.std(),alpha.mean(),alpha.std(),ham.mean(),ham.std()]
    else: out+=[0]*6
    return np.array(out,float)
def g_mod(c):
    e=20*np.log10(np.maximum(c['rms'],1e-5)); e=e-e.mean()
    n=256; E=np.abs(np.fft.rfft(e*np.hanning(len(e)),n))**2; fr=np.fft.rfftfreq(n,0.01)
    bands=[(0.5,2),(2,4),(4,6),(6,10),(10,16)]
    tot=E[(fr>=0.5)&(fr<16)].sum()+1e-9
    return np.array([E[(fr>=a)&(fr<b)].sum()/tot for a,b in bands])
def g_melpct(c):
    m=c['mel'][:,:61][active(c)]; lvl=m.mean()
    return np.concatenate([np.percentile(m,90,axis=0)-lvl, np.percentile(m,10,axis=0)-lvl])
def g_segments(c):
    # thirds of the trimmed clip: f0 median, energy mean, rel mel mean in 8 coarse bands
    T=len(c['f0']); out=[]
    st=12*np.log2(np.maximum(c['f0'],1)/100); e=20*np.log10(np.maximum(c['rms'],1e-5)); e=e-e.max()
    med=np.median(st[c['voiced']]) if c['voiced'].sum() else 0
    for k in range(3):
        s=slice(k*T//3,(k+1)*T//3); v=c['voiced'][s]
        out+=[np.median(st[s][v])-med if v.sum() else 0, e[s].mean(), v.mean()]
    return np.array(out)
def g_ltas(c):
    v=c['voiced']&active(c)
    P=(c['mag'][v]**2).mean(0) if v.sum()>2 else (c['mag']**2).mean(0)
    L=10*np.log10(P[1:225]+1e-10); L=L-L.mean()
    # 1/3-octave-ish smoothing into 40 log-spaced bands
    edges=np.unique(np.round(np.geomspace(1,224,41)).astype(int))
    return np.array([L[a-1:b].mean() for a,b in zip(edges[:-1],edges[1:])])
G={'voiced_mel':g_voiced_mel,'vq':g_vq,'mod':g_mod,'melpct':g_melpct,'seg':g_segments,'ltas':g_ltas}
feats={k:np.nan_to_num(np.array([f(c) for c in clips])) for k,f in G.items()}
np.savez(os.environ.get('SER_LAB', '/work/lab') + '/cand.npz',**feats)
mk=mk_lr if (len(sys.argv)>1 and sys.argv[1]=='lr') else mk_mlp
both(X,y,actors,mk,'emo')
for k,F in feats.items(): both(np.hstack([X,F]),y,actors,mk,'emo+'+k)
