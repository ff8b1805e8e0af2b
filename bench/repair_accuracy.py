"""Repair accuracy on synthetic GBK byte-shift damage (REPAIR.md §6).

Damages clean letters (samples 001, 003, 004 and three letters written for this benchmark) with
tests/damage.py, repairs them with dafu.normalize.repair.repair_byte_loss, and prints: character accuracy on
the damaged regions, exact-region rate, false positives on the clean truth text, time per site.

    python bench/repair_accuracy.py [--seeds 7] [--show 20]
    python bench/repair_accuracy.py --seeds 2 --letters tests/holdout bench/holdout   # letters the tables never saw
    python bench/repair_accuracy.py --seeds 2 --letters bench/holdout --snippets       # like repair_vectors_seed.tsv

--snippets repairs each damaged region alone, cut out with 12-35 characters of context on each side
(as the seed vectors are), so the letter's own text (the document cache) does not help.
The tables (core/data/char_bigrams.tsv.gz, genre_words.tsv, genre_trigrams.tsv.gz) are built from
samples/, tests/letters and bench/genre (bench/build_repair_data.py): to measure samples 001, 003
and 004 as unseen letters, rebuild the tables without them first (bench/README.md).
"""
from __future__ import annotations

import argparse
import difflib
import random
import sys
import time
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from damage import damage  # noqa: E402

from dafu.normalize.repair import repair_byte_loss  # noqa: E402

SAMPLES = ["001_425f8ebd1574510b.txt", "003_396f2fedd0fdd60e.txt", "004_ec6a11e31d304edf.txt"]

OWN = [
    """关于市政协十二届三次会议第156号提案的答复
绍人社函〔2022〕58号
王建华委员:
您提出的《关于加快培育数字经济技能人才的建议》收悉。现答复如下:
近年来,市人力资源和社会保障局认真贯彻落实省委、省政府关于数字经济“一号工程”的决策部署,把数字技能人才培养作为稳就业、促发展的重要抓手,取得了积极成效。2021年,全市共开展数字技能类职业培训3.6万人次,新增高技能人才1.2万人,其中数字领域高技能人才2800余人。
一、主要做法
(一)完善政策体系。市政府出台《关于加强数字经济人才队伍建设的若干意见》,明确对取得人工智能训练师、物联网安装调试员等新职业证书的人员给予每人最高3000元的培训补贴。
(二)搭建培养平台。依托绍兴职业技术学院、市技师学院等院校,建成市级公共实训基地4个、技能大师工作室23家,推动校企共建产业学院11所。
(三)深化校企合作。全面推行企业新型学徒制,鼓励企业与院校联合招生、联合培养,2021年全市共培养企业新型学徒1560人。
二、下一步工作打算
下一步,我们将认真研究采纳您的意见建议,进一步加大数字技能人才培养力度:一是扩大培训规模,力争到2025年累计培训数字技能人才10万人次;二是提升培训质量,建立培训机构绩效评估制度;三是强化激励保障,落实技能人才待遇,营造崇尚技能的良好氛围。
感谢您对人力资源和社会保障工作的关心和支持。
绍兴市人力资源和社会保障局
2022年6月18日
(联系人:陈晓燕,联系电话:0575-85123456)
""",
    """对市十六届人大四次会议第48号建议的答复
李国平等代表:
你们提出的关于进一步做好高校毕业生就业工作的建议收悉,经认真研究,现将有关情况答复如下:
一、基本情况
今年全市高校毕业生总量达到5.2万人,同比增长8.3%,就业形势总体稳定但结构性矛盾依然突出。市委、市政府高度重视,将高校毕业生就业作为民生实事的重要内容,成立了由分管副市长任组长的工作专班。
二、工作措施
(一)拓宽就业渠道。组织开展“百日千万招聘专项行动”,举办线上线下招聘会126场,提供岗位4.8万个。开发城乡基层公益性岗位1200个,优先安置离校未就业毕业生。
(二)强化政策支持。对吸纳高校毕业生就业的小微企业,按每人1500元标准给予一次性扩岗补助;对自主创业的毕业生,提供最高30万元的创业担保贷款并给予贴息。
(三)加强就业见习。认定就业见习基地85家,募集见习岗位2600个,见习期间按当地最低工资标准的80%给予见习补贴。
(四)做好困难帮扶。对脱贫家庭、低保家庭、零就业家庭和残疾毕业生实施“一人一档”“一人一策”精准帮扶,确保有就业意愿的困难毕业生100%实现就业。
三、下一步打算
我们将认真吸纳各位代表的意见,持续优化就业服务,推动高校毕业生实现更加充分更高质量就业。
再次感谢各位代表对人社工作的关心和支持!
岳阳市人力资源和社会保障局
2023年7月10日
""",
    """关于对区政协九届二次会议第23号提案的答复
张丽萍委员:
您提出的《关于加强新就业形态劳动者权益保障的提案》收悉,现答复如下:
随着平台经济快速发展,外卖骑手、网约车司机、网络主播等新就业形态劳动者数量持续增长。据统计,我区新就业形态劳动者约3.5万人。区人社局会同区总工会、区市场监管局等部门,积极推进新就业形态劳动者权益保障工作。
一是推进职业伤害保障试点。按照省统一部署,将平台企业纳入职业伤害保障试点范围,目前已覆盖骑手1.1万人。
二是扩大社会保险覆盖面。放开灵活就业人员在就业地参加企业职工基本养老保险的户籍限制,全年新增参保6300人。
三是畅通维权渠道。在新就业形态劳动者集中的商圈设立“暖心驿站”18个,开通劳动争议调解绿色通道,依法快速处理欠薪投诉。
四是加强技能培训。将新就业形态劳动者纳入职业技能提升行动范围,开展电子商务、健康照护等培训,按规定给予职业培训补贴。
下一步,我们将进一步完善工作机制,加强部门协同,切实维护好新就业形态劳动者的合法权益。
联系人:赵明,联系电话:0731-88765432
衡阳市雁峰区人力资源和社会保障局
2024年5月20日
""",
]


def _lev(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _regions(truth: str, other: str) -> list[tuple[int, int, int, int]]:
    sm = difflib.SequenceMatcher(None, truth, other, autojunk=False)
    return [(a, b, c, d) for op, a, b, c, d in sm.get_opcodes() if op != "equal"]


def snippets(truth: str, damaged: str, seed: int) -> list[tuple[str, str]]:
    """(truth, damaged) for each damaged region with 12-35 characters of context on each side,
    never more than half of the undamaged stretch to the next region."""
    rng = random.Random(seed)
    ops = difflib.SequenceMatcher(None, truth, damaged, autojunk=False).get_opcodes()
    out = []
    for k, (op, a, b, c, d) in enumerate(ops):
        if op == "equal":
            continue
        room = []
        for j, edge in ((k - 1, 0), (k + 1, len(ops) - 1)):
            gap = ops[j][2] - ops[j][1] if 0 <= j < len(ops) and ops[j][0] == "equal" else 0
            room.append(gap if j == edge else gap // 2)
        left, right = min(room[0], rng.randint(12, 35)), min(room[1], rng.randint(12, 35))
        out.append((truth[a - left : b + right], damaged[c - left : d + right]))
    return out


def _snippet_job(job: tuple[str, str, int]) -> list[tuple[int, int, bool, float]]:
    """(damaged characters, wrong characters, exact, CPU seconds) for each snippet of one letter."""
    name, clean, seed = job
    damaged_letter, truth_letter = damage(clean, seed)
    out = []
    for truth, damaged in snippets(truth_letter, damaged_letter, seed):
        t0 = time.process_time()
        repaired = repair_byte_loss(damaged)[0]
        seconds = time.process_time() - t0
        chars = sum(max(1, b - a) for a, b, _, _ in _regions(truth, damaged))
        wrong = _lev(truth, repaired) if repaired != truth else 0
        out.append((chars, wrong, not wrong, seconds))
    return out


def evaluate_snippets(texts: list[tuple[str, str]], seeds: int, jobs: int) -> None:
    jobs_list = [(name, clean, seed) for seed in range(seeds) for name, clean in texts]
    with Pool(jobs) as pool:
        rows = [r for rs in pool.map(_snippet_job, jobs_list) for r in rs]
    chars, wrong = sum(r[0] for r in rows), sum(r[1] for r in rows)
    print(f"letters: {len(texts)} x {seeds} seeds; snippets (one damaged region each): {len(rows)}")
    print(f"character accuracy on damaged regions: {1 - wrong / chars:.4f} ({wrong} edits / {chars} chars)")
    print(f"exact snippets: {sum(r[2] for r in rows) / len(rows):.4f}")
    print(f"CPU time per snippet: {sum(r[3] for r in rows) / len(rows):.3f} s (model load excluded)")


def evaluate(texts: list[tuple[str, str]], seeds: int, show: int) -> None:
    repair_byte_loss("預熱?,F(xiàn)")  # load the model once, outside the timing
    sites = truth_chars = errors = exact = fp = 0
    seconds = 0.0
    shown = 0
    for seed in range(seeds):
        for name, clean in texts:
            damaged, truth = damage(clean, seed)
            t0 = time.process_time()
            repaired = repair_byte_loss(damaged)[0]
            seconds += time.process_time() - t0
            dmg = _regions(truth, damaged)
            bad = _regions(truth, repaired)
            err_pos = set()
            for a, b, c, d in bad:
                errors += _lev(truth[a:b], repaired[c:d])
                err_pos.update(range(a, max(b, a + 1)))
            for a, b, _c, _d in dmg:
                sites += 1
                truth_chars += max(1, b - a)
                if not err_pos.intersection(range(a - 1, b + 1)):
                    exact += 1
            for a, b, c, d in bad:
                if shown < show:
                    shown += 1
                    print(f"  {name}#{seed}: {truth[a - 6:b + 6]!r} -> {repaired[c - 6:d + 6]!r}")
            _, reps, _, warns = repair_byte_loss(truth)
            fp += len(reps) + len(warns)
            print(f"[{name}#{seed}] regions {sites}  char acc {1 - errors / truth_chars:.4f}  exact {exact / sites:.4f}"
                  f"  fp {fp}  cpu/site {seconds / sites:.3f}s", flush=True)
    print(f"letters: {len(texts)} x {seeds} seeds; damaged regions: {sites}")
    print(f"character accuracy on damaged regions: {1 - errors / truth_chars:.4f} "
          f"({errors} edits / {truth_chars} chars)")
    print(f"exact regions: {exact / sites:.4f} ({exact}/{sites})")
    print(f"false positives on clean truth text (repairs + warnings): {fp}")
    print(f"CPU time per damaged site: {seconds / sites:.3f} s ({seconds:.1f} s total, model load excluded)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=6)
    ap.add_argument("--show", type=int, default=0, help="print this many wrong regions")
    ap.add_argument("--letters", nargs="*", type=Path, metavar="DIR",
                    help="damage the .txt letters of these folders instead (held-out letters, e.g. tests/holdout)")
    ap.add_argument("--snippets", action="store_true", help="repair each damaged region alone, with short context")
    ap.add_argument("--jobs", type=int, default=2, help="processes for --snippets")
    args = ap.parse_args()
    if args.letters:
        texts = [(p.stem, p.read_text(encoding="utf-8")) for d in args.letters for p in sorted(d.glob("*.txt"))]
    else:
        texts = [(n[:3], (ROOT / "samples" / n).read_text(encoding="utf-8")) for n in SAMPLES]
        texts += [(f"own{i}", t) for i, t in enumerate(OWN)]
    if args.snippets:
        evaluate_snippets(texts, args.seeds, args.jobs)
    else:
        evaluate(texts, args.seeds, args.show)


if __name__ == "__main__":
    main()
