import json, unicodedata
from decimal import Decimal as D
from fractions import Fraction as F
import os; OUT=os.path.dirname(os.path.abspath(__file__))+'/'
W=10**4; Y=10**8
def fmt(v):
    if isinstance(v,F):
        d=v.denominator
        for p in (2,5):
            while d%p==0: d//=p
        if d!=1: return '%.15g'%float(v)
        v=D(v.numerator)/D(v.denominator)
    if isinstance(v,int): return str(v)
    s=format(D(v).normalize(),'f')
    return s
def norm(s): return unicodedata.normalize('NFKC',s).lower()
def build(cases,typ,cur=False):
    out=[]
    for inp,res in cases:
        n=norm(inp); assert len(n)==len(inp),inp
        pos=0; R=[]
        for text,val in res:
            i=n.find(norm(text),pos); assert i>=0,(inp,text)
            e=i+len(text)-1; pos=e+1
            t=norm(inp[i:e+1])
            assert t==norm(text)
            if inp[i:e+1]==norm(inp[i:e+1]): assert inp[i:e+1]==t
            v=fmt(val)
            r={"Text":t,"TypeName":typ,"Resolution":({"isoCurrency":"CNY","unit":"Chinese yuan","value":v} if cur else {"value":v+('%' if typ=='percentage' else '')}),"Start":i,"End":e}
            R.append(r)
        out.append({"Input":inp,"Results":R})
    return out
exec(open(OUT+'cases.py').read())
import collections
for name,cases,typ,cur in [('NumberModel',NUM,'number',False),('PercentModel',PCT,'percentage',False),('CurrencyModel',CUR,'currency',True)]:
    inputs=[c[0] for c in cases]; dup=[x for x,k in collections.Counter(inputs).items() if k>1]; assert not dup,dup
    o=build(cases,typ,cur)
    json.dump(o,open(OUT+name+'.json','w'),ensure_ascii=False,indent=2)
    neg=sum(1 for c in o if not c['Results'])
    print(name,len(o),'neg',neg)
