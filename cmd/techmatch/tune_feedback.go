package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/internal/eval"
	"github.com/techmatch/techmatch/internal/eval/tune"
	"github.com/techmatch/techmatch/matcher"
)

// tuneFeedbackSeed picks the fifth of the judged demands kept aside; fixed
// so that a rerun on the same data gives the same answer.
const tuneFeedbackSeed = 20261202

// runTuneFeedback implements `techmatch tune --feedback --data DIR`: it
// fits the signal weights to the verdicts stored in DIR and the pairings'
// outcomes with the same learner as --suite, on four fifths of the judged
// demands, and refuses weights scoring worse than the current ones on the
// fifth kept aside.
func runTuneFeedback(ctx context.Context, dir string, current matcher.Weights, opt tune.Options, out, version string, stdout, stderr io.Writer) error {
	db, err := openStore(ctx, dir)
	if err != nil {
		return err
	}
	defer db.Close()
	ix, err := openIndex(ctx, dir, db, stderr)
	if err != nil {
		return err
	}
	defer ix.Close()
	m := &matcher.Matcher{Store: db, Search: ix, Analyzer: ix, Weights: current, RefreshEvery: -1}
	if err := m.Refresh(ctx); err != nil {
		return err
	}
	defer m.Close()
	qs, err := eval.FeedbackTuneData(ctx, eval.StoredJudgements{Store: db, Feedback: db, Pairings: db, Matcher: m})
	if err != nil {
		return err
	}
	g, err := tune.FitGuarded(qs, current, opt, tuneFeedbackSeed)
	if g != nil {
		fmt.Fprintf(stderr, "已评判的需求 %d 个，留出 %d 个检验：当前权重 nDCG@10 %.4f，新权重 %.4f\n",
			len(qs), len(g.Held), g.Before, g.After)
	}
	if err != nil {
		return err
	}
	w := g.Weights
	w.Version = version
	if w.Version == "" {
		w.Version = "feedback-" + time.Now().UTC().Format("20060102-150405")
	}
	w.Note = fmt.Sprintf("由 techmatch tune --feedback 依据 %s 中经纪人的评判与对接结果拟合（%d 个需求，留出 %d 个：nDCG@10 %.4f → %.4f）",
		dir, len(qs), len(g.Held), g.Before, g.After)
	b, err := w.MarshalIndent()
	if err != nil {
		return err
	}
	wv := &data.WeightsVersion{Version: w.Version, Weights: b, Source: w.Note,
		Check: map[string]float64{"demands": float64(len(qs)), "held": float64(len(g.Held)), "held_ndcg@10_current": g.Before, "held_ndcg@10_new": g.After}}
	if err := db.PutWeightsVersion(ctx, wv, data.Actor{TokenID: "cli", Role: data.RoleAdmin}); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "权重版本 %s 已存入数据目录（未启用；用 PUT /api/v1/matcher {\"version\": \"%s\"} 启用）\n", w.Version, w.Version)
	if out == "" {
		_, err = stdout.Write(b)
		return err
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		return fmt.Errorf("write weights: %w", err)
	}
	fmt.Fprintf(stderr, "权重已写入 %s\n", out)
	return nil
}

// useActiveWeights makes the matcher use the store's active weights
// version, if one is active (else the embedded default stays).
func useActiveWeights(ctx context.Context, ws data.WeightsStore, m *matcher.Matcher) error {
	v, err := ws.ActiveWeights(ctx)
	if err != nil || v == nil {
		return err
	}
	w, err := matcher.ParseWeights(v.Weights)
	if err != nil {
		return fmt.Errorf("active weights %s: %w", v.Version, err)
	}
	m.SetWeights(w)
	slog.Info("matcher weights", "version", v.Version)
	return nil
}
