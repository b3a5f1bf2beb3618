#!/bin/bash
# The side-by-side table of docs/best-of-n.md ("Length learned apart"): no correction, the post-hoc
# line (ser scale --length-debias) and --debias length[,markdown], seeds 42-46, frozen bge-small-q,
# on AlpacaEval (held-out prompts, with best-of-n), HH-RLHF and UltraFeedback. Run from the
# repository root after `./ser data candidates --input ../shared/data/alpacaeval/pairs.jsonl.gz
# --train-pairs 3000 --out runs/alpaca`. About 20 minutes on 2 cores once the encoder's cache is
# warm (best-of-n encodes 13k AlpacaEval answers once: about 5 minutes). Each model's eval.json
# (style_splits) and best-of-n.json hold the figures.
set -e
A=runs/alpaca
HH=../shared/data/hh-rlhf/harmless-base-test.jsonl.gz
U=../shared/data/ultrafeedback
O=runs/debias-compare
mkdir -p $O
for s in 42 43 44 45 46; do
  ./ser data split --train $HH --skip-bad --seed $s --labeled-fraction 1 --out $O/hh-split-$s > /dev/null
  for ds in alpaca hh uf; do
    case $ds in
      alpaca) TRAIN="--train $A/train.jsonl"; TEST=$A/test.jsonl; REF=$A/train.jsonl; SKIP="";;
      hh) TRAIN="--train $O/hh-split-$s/labeled.jsonl --test $O/hh-split-$s/test.jsonl"; TEST=$O/hh-split-$s/test.jsonl; REF=$O/hh-split-$s/labeled.jsonl; SKIP="";;
      uf) TRAIN="--train $U/train.jsonl.gz --test $U/eval.jsonl.gz"; TEST=$U/eval.jsonl.gz; REF=$U/train.jsonl.gz; SKIP="--skip-bad";;
    esac
    for d in none length length,markdown; do
      M=$O/$ds-$d-$s
      ./ser train $TRAIN $SKIP --seed $s --encoder bge-small-q --debias $d --quiet --out $M > $M.train.log
      ./ser eval --quiet --model $M --test $TEST $SKIP > $M.eval.log
      if [ $ds = alpaca ]; then ./ser best-of-n --quiet --model $M --input $A/candidates.jsonl --out $M/picks.jsonl > $M.bon.log; fi
    done
    P=$O/$ds-posthoc-$s
    rm -rf $P && cp -r $O/$ds-none-$s $P && rm -rf $P/eval $P/best-of-n.json
    ./ser scale --quiet --model $P --method none --length-debias --reference $REF > $P.scale.log
    ./ser eval --quiet --model $P --test $TEST $SKIP > $P.eval.log
    if [ $ds = alpaca ]; then ./ser best-of-n --quiet --model $P --input $A/candidates.jsonl --out $P/picks.jsonl > $P.bon.log; fi
  done
done
