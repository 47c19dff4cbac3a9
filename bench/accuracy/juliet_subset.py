#!/usr/bin/env python3
"""Test-case level recall / false-positive rate per CWE, split into single-file flows (01-21, 31-45) and
multi-file flows (22, 51-68), from score.py's --dump file and the corpus ground truth (functions.csv).
Relevant findings only: null-deref for CWE690/CWE476, leak for CWE401 (as score.py's main table)."""
import csv, sys, collections

RELEVANT = {'690': 'null-deref', '476': 'null-deref', '401': 'leak'}
MULTI = {'22'} | {str(n) for n in range(51, 69)}

def main(functions_csv, hits_csv):
    cases = collections.defaultdict(set)          # (cwe, kind) -> test cases
    for r in csv.DictReader(open(functions_csv)):
        kind = 'multi-file' if r['flow'] in MULTI else 'single-file'
        cases[(r['cwe'], kind)].add(r['testcase'])
    bad, good = collections.defaultdict(set), collections.defaultdict(set)
    for r in csv.DictReader(open(hits_csv)):
        if RELEVANT[r['cwe']] not in r['categories'].split(';'):
            continue
        kind = 'multi-file' if r['flow'] in MULTI else 'single-file'
        (bad if r['label'] == 'bad' else good)[(r['cwe'], kind)].add(r['testcase'])
    print('| CWE | flows | test cases | recall (tc) | flagged good (tc) |')
    print('|---|---|---|---|---|')
    for key in sorted(cases):
        n = len(cases[key])
        print(f'| CWE{key[0]} | {key[1]} | {n} | {100 * len(bad[key]) / n:.1f}% | {100 * len(good[key]) / n:.1f}% |')

if __name__ == '__main__':
    main(*sys.argv[1:3])
