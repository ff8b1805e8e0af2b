import json,re,sys
def build(src, header, mets, excl, notes, out):
    text=''; M=[]; X=[]; i=0
    for part in re.split(r'(⟦[^⟧]*⟧|⟪[^⟫]*⟫)', src):
        if part.startswith('⟦'):
            raw=part[1:-1]; M.append((raw,len(text))); text+=raw
        elif part.startswith('⟪'):
            raw=part[1:-1]; X.append(raw); text+=raw
        else: text+=part
    assert len(M)==len(mets),(len(M),len(mets))
    assert len(X)==len(excl),(len(X),len(excl))
    metrics=[]
    for (raw,off),m in zip(M,mets):
        v,u,q,l=m[:4]; d={"raw":raw,"value":v,"unit":u,"qualifier":q,"label":l,"offset":off}
        if len(m)>4: d.update(m[4])
        assert text[off:off+len(raw)]==raw
        metrics.append(d)
    ex=[{"raw":r,"reason":e} for r,e in zip(X,excl)]
    for e in ex: assert e['raw'] in text
    g=dict(header); g['metrics']=metrics; g['excluded_candidates']=ex; g['notes']=notes
    open(out+'.txt','w').write(text)
    open(out+'.gold.json','w').write(json.dumps(g,ensure_ascii=False,indent=1)+'\n')
    covered=[(o,o+len(r)) for r,o in M]
    for r in X:
        for mm in re.finditer(re.escape(r),text): covered.append((mm.start(),mm.end()))
    for mm in re.finditer(r'[0-9０-９零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]+',text):
        if not any(a<=mm.start()<b for a,b in covered): print('UNCOVERED',mm.group(),repr(text[max(0,mm.start()-8):mm.end()+4]))
    print(out,len(text),len(metrics),len(ex))
