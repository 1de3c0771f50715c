import numpy as np, os, glob
FR=os.environ.get('SER_LAB', '/work/lab') + '/frames'
EMO=['neutral','calm','happy','sad','angry','fearful','disgust','surprised']
def load_all():
    out=[]
    for p in sorted(glob.glob(FR+'/*.bin')):
        b=os.path.basename(p)[:-4]; parts=b.split('-')
        with open(p,'rb') as f:
            T,D=np.fromfile(f,np.int32,2); a=np.fromfile(f,np.float32).reshape(T,D)
        d=dict(name=b,emotion=EMO[int(parts[2])-1],intensity=int(parts[3]),statement=int(parts[4]),actor=int(parts[6]),
               mag=a[:,:257],mel=a[:,257:321],mfcc=a[:,321:341],f0=a[:,341],voiced=a[:,342]>0.5,vprob=a[:,343],aper=a[:,344],rms=a[:,345])
        out.append(d)
    return out
