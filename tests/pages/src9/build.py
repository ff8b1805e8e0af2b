import json,re,sys
# markup: {{raw|value|unit|qual|label[|k=v...]}} metric ; [[raw~reason]] excluded
src,hdr,out=sys.argv[1],sys.argv[2],sys.argv[3]
s=open(src,encoding='utf-8').read()
text='';mets=[];exc=[];i=0
pat=re.compile(r'\{\{(.*?)\}\}|\[\[(.*?)\]\]',re.S)
pos=0
for m in pat.finditer(s):
    text+=s[pos:m.start()];pos=m.end()
    if m.group(1) is not None:
        f=m.group(1).split('|');raw=f[0]
        v=float(f[1]);v=int(v) if v==int(v) else v
        d={'raw':raw,'value':v,'unit':f[2],'qualifier':f[3] or None,'label':f[4],'offset':len(text)}
        for kv in f[5:]:
            if kv=='d': d['doubtful']=True
            else:
                k,vv=kv.split('=')
                if k=='hi':
                    vv=float(vv);vv=int(vv) if vv==int(vv) else vv
                d[k]=vv
        mets.append(d);text+=raw
    else:
        raw,reason=m.group(2).split('~');exc.append({'raw':raw,'reason':reason});text+=raw
text+=s[pos:]
g=json.load(open(hdr,encoding='utf-8'))
g['metrics']=mets;g['excluded_candidates']=exc
notes=g.pop('notes');g['notes']=notes
for d in mets: assert text[d['offset']:d['offset']+len(d['raw'])]==d['raw']
offs=[d['offset'] for d in mets];assert offs==sorted(offs)
for e in exc: assert e['raw'] in text
open(out+'.txt','w',encoding='utf-8').write(text)
json.dump(g,open(out+'.gold.json','w',encoding='utf-8'),ensure_ascii=False,indent=1)
# uncovered digit runs
cov=[(d['offset'],d['offset']+len(d['raw'])) for d in mets]
for e in exc:
    st=0
    while True:
        k=text.find(e['raw'],st)
        if k<0:break
        cov.append((k,k+len(e['raw'])));st=k+1
for m in re.finditer(r'[0-9０-９]+(?:[.,][0-9]+)*|[零〇一二两三四五六七八九十百千万亿]+',text):
    if not any(a<=m.start()<b for a,b in cov): print('UNCOVERED',m.start(),repr(text[max(0,m.start()-6):m.end()+4]))
print(len(text),'chars',len(mets),'metrics',len(exc),'excluded')
