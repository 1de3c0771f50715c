import sys, numpy as np, csv
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
EMO3 = {'angry','neutral','happy'}
def load(paths):
    rows=None; X=[]
    for p in paths:
        with open(p) as f:
            r=list(csv.reader(f))
        hdr=r[0]; data=r[1:]
        meta=[(d[0],int(d[1]),d[3]) for d in data]
        x=np.array([[float(v) for v in d[7:]] for d in data])
        order=np.argsort([m[0] for m in meta]); meta=[meta[i] for i in order]; x=x[order]
        if rows is None: rows=meta
        else: assert [m[0] for m in rows]==[m[0] for m in meta]
        X.append(x)
    return rows, np.hstack(X), hdr[7:]
def folds(actors):
    u=sorted(set(actors)); rank={a:i for i,a in enumerate(u)}
    return np.array([rank[a]%5 for a in actors])
def speaker_eval(X,y,actors,make,classes3=False):
    f=folds(actors); accs=[]
    for k in range(5):
        tr=f!=k; te=f==k
        m=make(); m.fit(X[tr],y[tr]); accs.append((m.predict(X[te])==y[te]).mean())
    return np.mean(accs), np.std(accs)
if __name__=='__main__':
    rows,X,names=load(sys.argv[1:])
    y=np.array([m[2] for m in rows]); actors=np.array([m[1] for m in rows])
    sel3=np.isin(y,list(EMO3))
    models={
     'svc_rbf_C10':lambda: make_pipeline(StandardScaler(),SVC(C=10,gamma='scale')),
     'svc_rbf_C3':lambda: make_pipeline(StandardScaler(),SVC(C=3,gamma='scale')),
     'logreg_C0.1':lambda: make_pipeline(StandardScaler(),LogisticRegression(C=0.1,max_iter=3000)),
     'mlp256_a1':lambda: make_pipeline(StandardScaler(),MLPClassifier((256,),alpha=1.0,max_iter=500,random_state=1)),
    }
    for name,mk in models.items():
        a3=speaker_eval(X[sel3],y[sel3],actors[sel3],mk)
        a8=speaker_eval(X,y,actors,mk)
        print(f'{name:14s} 3c {a3[0]*100:.1f}±{a3[1]*100:.1f}  8c {a8[0]*100:.1f}±{a8[1]*100:.1f}',flush=True)
