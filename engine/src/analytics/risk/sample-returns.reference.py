# Independent reference numbers for the risk tests (sample-returns.fixture.ts). Run: python3 <this file>
# Independent reference for engine/src/analytics/risk tests: empyrical's formulas re-typed with numpy nan-functions.
import numpy as np
from scipy.stats import norm
nan=np.nan
r=np.array([0.01,-0.02,0.015,nan,0.003,-0.007,0.012,-0.025,0.02,0.004,-0.001,0.009])
b=np.array([0.008,-0.015,0.01,0.002,nan,-0.004,0.01,-0.02,0.015,0.006,-0.003,0.005])
N=252; rf=0.0002; mar=0.0
x=r[~np.isnan(r)]
print('count', len(x))
cum=np.prod(1+x)-1; print('cumulative', repr(cum))
ann=(1+cum)**(N/len(x))-1; print('annual', repr(ann))
print('vol', repr(np.std(x,ddof=1)*np.sqrt(N)))
print('sharpe', repr(np.mean(x-rf)/np.std(x-rf,ddof=1)*np.sqrt(N)))
dd=np.sqrt(np.mean(np.minimum(x-mar,0)**2))*np.sqrt(N); print('downside', repr(dd))
print('sortino', repr(np.mean(x-mar)*N/dd))
w=np.concatenate([[1.0],np.cumprod(1+np.nan_to_num(r))]); mx=np.maximum.accumulate(w); mdd=np.min(w/mx-1)
print('mdd', repr(mdd), 'trough idx (in r)', np.argmin(w/mx-1)-1)
print('calmar', repr(ann/abs(mdd)))
m=~np.isnan(r)&~np.isnan(b); rr=r[m]-rf; bb=b[m]-rf
beta=np.mean((bb-bb.mean())*rr)/np.mean((bb-bb.mean())**2); print('beta', repr(beta))
alpha=(1+np.mean(rr-beta*bb))**N-1; print('alpha', repr(alpha))
act=r[m]-b[m]
print('te', repr(np.std(act,ddof=1)*np.sqrt(N)))
print('ir', repr(np.mean(act)/np.std(act,ddof=1)*np.sqrt(N)))
print('corr', repr(np.corrcoef(r[m],b[m])[0,1]), 'r2', repr(np.corrcoef(r[m],b[m])[0,1]**2))
def annret(v): return np.prod(1+v)**(N/len(v))-1
up=b[m]>0; dn=b[m]<0
print('up', repr(annret(r[m][up])/annret(b[m][up])))
print('down', repr(annret(r[m][dn])/annret(b[m][dn])))
var=np.percentile(x,5); print('var', repr(var))
print('cvar', repr(np.mean(x[x<=var])))
print('pvar', repr(np.mean(x)+norm.ppf(0.05)*np.std(x,ddof=1)))
print('z05', repr(norm.ppf(0.05)), 'z001', repr(norm.ppf(0.001)), 'z0975', repr(norm.ppf(0.975)), 'z0.5', norm.ppf(0.5))
print('rf/day 6.5%', repr(1.065**(1/252)-1))
