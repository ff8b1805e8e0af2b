from build import build
src='''首页 > 政务公开 > 建议提案办理
索引号：⟪11622901MB1837520X/2024-00317⟫
发布机构：澄溪县档案馆
成文日期：2024-07-16
澄溪县档案馆关于县政协十一届三次会议第58号提案的答复
澄档函〔2024〕9号
刘文静委员：
　　您提出的《关于加强乡村档案工作助力“三农”发展的提案》收悉。现答复如下：
　　一、基本情况
　　⟪2023年⟫以来，我馆围绕“十四五”档案事业发展规划，推进档案工作一体化。全县⟦14个⟧乡镇、⟦186个⟧行政村已全部建立村级档案室，其中达到省级示范标准的⟦27个⟧（含⟦3个⟧少数民族村）。全年接收进馆档案⟦1.2万卷⟧、照片档案⟦两千余张⟧，数字化扫描⟦三百八十六万画幅⟧，馆藏数字化率达到⟦百分之八十五⟧，比上年提高⟦6.3个百分点⟧。
　　⟪2023年⟫，全县档案系统在全省档案工作综合考评中获得⟪第三名⟫，县馆⟦3名⟧同志在市级档案技能竞赛中获⟪二等奖⟫。全县现有专兼职档案员⟦412人⟧，平均年龄⟪46岁⟫，其中从事档案工作满⟪10年⟫的⟦158人⟧；人均管理档案⟦约2900卷⟧。全年举办培训班⟦6期⟧、培训⟦1 150人次⟧，年度计划培训⟦1 000人次⟧，完成计划的⟦115%⟧。城关、三里河、马家坪三镇分别接收移交档案⟦3 420卷⟧、⟦2 860卷⟧和⟦1 975卷⟧。按照《村级档案管理办法》，村级档案室面积不小于⟪20平方米⟫、配备档案柜不少于⟪4组⟫。
　　关于您提出的“建设县级数字档案馆”的建议，县发展改革局已将其列入《澄溪县“十四五”公共服务设施建设规划》（澄发改〔⟪2022⟫〕⟪41号⟫），项目总投资⟦3 860万元⟧，建筑面积⟦6 200平方米⟧，设计容量⟦30万卷⟧；其中省级补助资金⟪xx0万元⟫尚待批复下达。项目已于⟪2024年3月⟫开工，工期⟪18个月⟫。截至⟪6月底⟫，已完成投资⟦1 042万元⟧，占年度计划⟦2 000万元⟧的⟦52.1%⟧。群众查档可拨打⟪12345⟫政务服务便民热线或档案查询专线⟪0931-8726500⟫（传真⟪0931-8726501⟫），我馆每周一至周五对外开放，全年接待查档利用⟦4 318人次⟧、调阅档案⟦近万卷⟧。
　　二、下一步工作
　　一是落实“⟪三个一⟫”要求（一村一室、一档一码、一人一岗）。二是对保管期限为⟪30年⟫及以上的档案实行专柜存放，库房温度控制在⟪14℃至24℃⟫。三是计划于⟪2025年⟫底前再建成示范村档案室⟦20个⟧，安排专项资金⟦一千二百万元⟧。
　　感谢您对档案工作的关心和支持。
　　联系人：周海燕　　联系电话：⟪0931-8726514⟫
澄溪县档案馆
2024年7月16日
（此件公开发布）
主办单位：澄溪县人民政府办公室　⟪陇ICP备05001263号-1⟫　访问量：⟪408731⟫
'''
header={"doc_type":"reply_letter","title":"澄溪县档案馆关于县政协十一届三次会议第58号提案的答复",
"doc_number":{"raw":"澄档函〔2024〕9号","issuer_code":"澄档函","year":2024,"serial":9},
"issuer":"澄溪县档案馆","date":"2024-07-16",
"addressees":[{"name":"刘文静","role":"委员","and_others":False}],
"proposal":{"kind":"提案","number":"第58号","title":"关于加强乡村档案工作助力“三农”发展的提案","meeting":"县政协十一届三次会议"},
"cc":[],"contact":{"name":"周海燕","phone":"0931-8726514"}}
mets=[(14,"个",None,"乡镇"),(186,"个",None,"行政村"),(27,"个",None,"达到省级示范标准的村级档案室"),
(3,"个",None,"少数民族村"),(12000,"卷",None,"接收进馆档案"),(2000,"张","more_than","照片档案"),
(3860000,"画幅",None,"数字化扫描"),(85,"%",None,"馆藏数字化率"),(6.3,"个百分点",None,"比上年提高"),
(3,"名",None,"获二等奖的同志",{"doubtful":True}),(412,"人",None,"专兼职档案员"),(158,"人",None,"从事档案工作满10年的档案员"),(2900,"卷","about","人均管理档案",{"per":"人均"}),
(6,"期",None,"培训班"),(1150,"人次",None,"培训"),(1000,"人次",None,"年度计划培训",{"role":"target"}),(115,"%",None,"完成计划"),
(3420,"卷",None,"城关镇接收移交档案"),(2860,"卷",None,"三里河镇接收移交档案"),(1975,"卷",None,"马家坪镇接收移交档案"),
(38600000,"元",None,"项目总投资"),(6200,"平方米",None,"建筑面积"),(300000,"卷",None,"设计容量"),(10420000,"元",None,"已完成投资"),(20000000,"元",None,"年度计划投资",{"role":"target"}),(52.1,"%",None,"占年度计划"),(4318,"人次",None,"接待查档利用"),(10000,"卷","nearly","调阅档案"),
(20,"个",None,"示范村档案室",{"role":"target"}),(12000000,"元",None,"专项资金",{"role":"target"})]
excl=["index number","year (period start)","year","rank","prize grade","age","duration threshold in a definition","area threshold in a rule","specification minimum in a rule","year in a doc number","serial in a doc number","masked digits","month and year (start date)","duration","date (as of end of June)","hotline","phone number","fax number","slogan in quotes","retention-period threshold in a rule (duration)","temperature specification in a rule","year (deadline)","phone number","ICP number","visit counter"]
notes="Header numbers (成文日期, doc number, proposal number 第58号, session 十一届三次, the date) are header fields, not metrics. 三农, 十四五, 一体化, 一村一室/一档一码/一人一岗 are words or slogans holding numerals, not counts. 30年及以上 is a retention-period threshold and 14℃至24℃ a storage specification in a rule: excluded. 两千余张 → 2000 more_than; 三百八十六万画幅 → 3,860,000; 百分之八十五 → 85 %. 第三名 and 二等奖 are rank/prize; 3名 winners is a count of persons but sits inside an award phrase: doubtful. 46岁 age and 满10年 duration excluded. Space-grouped 1 150 / 3 420 etc. keep the space in raw. 三里河 is a place name. xx0万元 is masked (excluded). 每周一至周五 are weekdays. 1 042万元 of the 2 000万元 annual plan = 52.1%: actual/target/%-of-target triple. 12345 is a hotline. The 20 rooms and 一千二百万元 are planned (role target)."
build(src,header,mets,excl,notes,'../dev9/S02_county_archives_reply_numeral_words')
