import numpy as np, sys, warnings
warnings.filterwarnings('ignore')
from sklearn.preprocessing import StandardScaler
from sklearn.neural_network import MLPClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
def folds(actors):
    u=sorted(set(actors)); rank={a:i for i,a in enumerate(u)}
    return np.array([rank[a]%5 for a in actors])
def mk_mlp(seed=1): return make_pipeline(StandardScaler(),MLPClassifier((256,),alpha=1.0,max_iter=300,random_state=seed))
def mk_lr(): return make_pipeline(StandardScaler(),LogisticRegression(C=0.05,max_iter=2000))
def speaker(X,y,actors,mk=mk_mlp,n_ens=1):
    f=folds(actors); accs=[]
    for k in range(5):
        tr=f!=k; te=f==k
        P=0
        for s in range(n_ens):
            m=mk(s+1) if n_ens>1 else mk(); m.fit(X[tr],y[tr]); P=P+m.predict_proba(X[te]); cl=m.classes_
        accs.append((cl[P.argmax(1)]==y[te]).mean())
    return np.mean(accs)*100
def both(X,y,actors,mk=mk_mlp,label='',n_ens=1):
    s3=np.isin(y,['angry','neutral','happy'])
    a3=speaker(X[s3],y[s3],actors[s3],mk,n_ens); a8=speaker(X,y,actors,mk,n_ens)
    print(f'{label:30s} 3c {a3:.1f}  8c {a8:.1f}',flush=True); return a3,a8
