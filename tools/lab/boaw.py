import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np
from lab import load
from fl import load_all
from ev import *
from sklearn.cluster import MiniBatchKMeans
rows,X,names=load([os.environ.get('SER_LAB', '/work/lab') + '/emo.csv'])
clips=load_all(); _m={c['name']:c for c in clips}; clips=[_m[r[0].split('/')[-1].rsplit('.',1)[0]] for r in rows]
y=np.array([c['emotion'] for c in clips]); actors=np.array([c['actor'] for c in clips])
def frames(c):
    e=20*np.log10(np.maximum(c['rms'],1e-5)); a=e>=e.max()-40
    m=c['mel'][:,:61]; m=m-m[a].mean()
    d=np.vstack([np.zeros((1,20)),np.diff(c['mfcc'],axis=0)])
    F=np.hstack([c['mfcc'][:,1:],d, (e-e.max())[:,None]])
    return F[a]
FR=[frames(c) for c in clips]
allF=np.vstack(FR); mu=allF.mean(0); sd=allF.std(0)
for K in [64,256]:
    km=MiniBatchKMeans(K,random_state=0,n_init=3,batch_size=4096).fit((allF-mu)/sd)
    H=[]
    for F in FR:
        lab=km.predict((F-mu)/sd); h=np.bincount(lab,minlength=K)/len(lab); H.append(np.log(h+1e-3))
    H=np.array(H)
    both(H,y,actors,mk_lr,f'boaw{K} LR')
    both(np.hstack([X,H]),y,actors,mk_lr,f'emo+boaw{K} LR')
