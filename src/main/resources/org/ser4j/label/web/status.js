'use strict';
(async function () {
  const fmt = (v, d = 3) => (v === null || v === undefined ? '–' : typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(d) : String(v));
  const row = (table, cells) => {
    const tr = document.createElement('tr');
    for (const c of cells) {
      const td = document.createElement('td');
      td.textContent = c;
      tr.appendChild(td);
    }
    document.querySelector(`#${table} tbody`).appendChild(tr);
  };
  const r = await fetch('/api/stats', { credentials: 'same-origin' });
  const s = await r.json();
  if (!r.ok) {
    document.getElementById('error').textContent = (s.error || r.status) + (r.status === 401 ? ' (on the labeling page)' : '');
    return;
  }
  row('summary', ['pairs in the queue', fmt(s.pairs)]);
  row('summary', ['labels wanted per pair (--overlap)', fmt(s.overlap)]);
  row('summary', ['pairs with all their labels', fmt(s.pairs_done)]);
  row('summary', ['labels (skips included)', fmt(s.labels)]);
  row('summary', ['pairs labeled by two or more', fmt(s.pairs_with_several_labels)]);
  row('summary', ['of which the annotators disagree on', fmt(s.pairs_disagreed)]);
  row('summary', ['agreement, % of two labels on one pair', fmt(s.percent_agreement, 1)]);
  row('summary', ["Cohen's kappa (mean over annotator couples)", fmt(s.cohens_kappa)]);
  const ci = s.left_share_95 ? ` [${s.left_share_95[0].toFixed(3)}, ${s.left_share_95[1].toFixed(3)}]` : '';
  row('summary', ['position bias: share of a/b labels that picked the left answer', fmt(s.left_share) + ci + ` of ${s.decisive_labels}`]);
  for (const [name, p] of Object.entries(s.annotators)) row('annotators', [name, p.labels, p.a, p.b, p.tie, p.skip].map(String));
  for (const c of s.couples) row('couples', [`${c.first} · ${c.second}`, String(c.shared), fmt(c.percent_agreement, 1) + ' %', fmt(c.cohens_kappa)]);
})();
