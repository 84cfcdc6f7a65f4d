package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/internal/eval"
	"github.com/techmatch/techmatch/internal/eval/tune"
	"github.com/techmatch/techmatch/matcher"
)

// runTune implements `techmatch tune --suite DIR --out weights.json`: it
// loads a development match suite into a temporary store and index, fits
// the matcher's signal weights to the suite's judgements by coordinate
// ascent on rerank nDCG@10, cross-validates the fit across demands, and
// writes the weights (with a record of the fit) for --weights or for
// matcher/weights.json. With --ablation it also refits without each text
// signal and prints what each configuration achieves.
func runTune(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dataDir := newFlags("tune", stderr)
	feedback := fs.Bool("feedback", false, "依据数据目录（--data）中保存的评判与对接结果拟合权重，留出五分之一的需求检验，不如当前权重则拒绝")
	suiteDir := fs.String("suite", "", "开发评测集目录（task 为 match；只能用开发集调参）")
	out := fs.String("out", "", "写出权重文件（JSON）；空则只报告")
	from := fs.String("weights", "", "起始权重文件（默认内置权重）")
	version := fs.String("version", "", "新权重的版本名（默认 <评测集>-ca）")
	folds := fs.Int("folds", 5, "交叉验证折数（按需求划分；1 为不做）")
	free := fs.String("free", "", "参与拟合的信号，逗号分隔（默认：在评测集中有变化的信号）")
	penalty := fs.Float64("penalty", 0, "偏离起始权重的惩罚（默认 0.002）")
	ablation := fs.Bool("ablation", false, "输出消融表：逐一去掉各文本信号后重新拟合的结果")
	fullWeight := fs.Float64("full-weight", 1, "目标函数中全库匹配 recall@100 的权重（0 为只看 rerank nDCG@10）")
	analyzer := fs.String("analyzer", "gse", "索引分析器")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *suiteDir == "" && !*feedback {
		return data.Errorf(data.EINVALID, "请用 --suite 指定开发评测集目录，或用 --feedback 依据数据目录中的评判拟合")
	}
	init := matcher.DefaultWeights()
	if *from != "" {
		w, err := matcher.LoadWeights(*from)
		if err != nil {
			return err
		}
		init = w
	}
	opt := tune.Options{Folds: *folds, Penalty: *penalty}
	if *free != "" {
		for _, s := range strings.Split(*free, ",") {
			if s = strings.TrimSpace(s); s != "" {
				opt.Free = append(opt.Free, s)
			}
		}
	}
	if *feedback {
		if *suiteDir != "" {
			return data.Errorf(data.EINVALID, "--feedback 与 --suite 只能选一个")
		}
		return runTuneFeedback(ctx, *dataDir, init, opt, *out, *version, stdout, stderr)
	}
	if err := tuneCheckDevSuite(*suiteDir); err != nil {
		return err
	}

	env, err := eval.LoadMatch(ctx, *suiteDir, eval.MatchOptions{Weights: &init, BuildOptions: eval.BuildOptions{Analyzer: *analyzer, Logger: slog.Default()}})
	if err != nil {
		return err
	}
	defer env.Close()
	qs, err := env.TuneData(ctx)
	if err != nil {
		return err
	}
	fq, err := env.FullData(ctx, matcher.DefaultCandidates)
	if err != nil {
		return err
	}
	if *fullWeight > 0 {
		opt.Full, opt.FullWeight = fq, *fullWeight
	}
	w, rep, err := tune.Fit(qs, init, opt)
	if err != nil {
		return err
	}
	rep.Suite = env.Suite.Name
	w.Version = *version
	if w.Version == "" {
		w.Version = env.Suite.Name + "-ca"
	}
	w.Note = fmt.Sprintf("由 techmatch tune 在开发集 %s 上以坐标上升法拟合（目标：rerank nDCG@10 + %g × 全库 recall@100，%d 折交叉验证）",
		env.Suite.Name, *fullWeight, *folds)
	if w.Signals[matcher.SignalFeedback] == 0 {
		w.FeedbackDocs = 0 // nothing to compute
	}
	fmt.Fprintf(stderr, "评测集 %s：%d 个需求，%d 对已评判的成果\n", rep.Suite, rep.Queries, rep.Pairs)
	fmt.Fprintf(stderr, "参与拟合的信号：%s（以 %s 为基准）\n", strings.Join(rep.Free, "、"), rep.Anchor)
	fmt.Fprintf(stderr, "rerank nDCG@10：起始 %.4f → 拟合后 %.4f（在全部开发集上拟合，偏乐观）\n", rep.Before, rep.After)
	fmt.Fprintf(stderr, "全库匹配 recall@100（候选 %d）：起始 %.4f → 拟合后 %.4f\n", matcher.DefaultCandidates,
		tune.Recall(fq, init, 100), tune.Recall(fq, w, 100))
	if cv := rep.CV; cv != nil {
		fmt.Fprintf(stderr, "交叉验证（%d 折，按需求划分）：rerank nDCG@10 %.4f → %.4f", cv.Folds, cv.Before, cv.After)
		if opt.Full != nil {
			fmt.Fprintf(stderr, "，全库 recall@100 %.4f → %.4f", cv.RecallBefore, cv.RecallAfter)
		}
		fmt.Fprintln(stderr)
	}
	if *ablation {
		o := opt
		o.FullWeight = *fullWeight
		rows, err := env.Ablation(ctx, init, o)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "| 配置 | rerank nDCG@10 拟合 | rerank nDCG@10 交叉验证 | 全库 recall@100 拟合 | 全库 recall@100 交叉验证 |\n|---|---|---|---|---|\n")
		for _, r := range rows {
			fmt.Fprintf(stdout, "| %s | %.4f | %.4f | %.4f | %.4f |\n", r.Config, r.Fit, r.CV, r.Recall100, r.RecallCV)
		}
	}
	b, err := w.MarshalIndent()
	if err != nil {
		return err
	}
	if *out == "" {
		if !*ablation {
			_, err = stdout.Write(b)
		}
		return err
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return fmt.Errorf("write weights: %w", err)
	}
	fmt.Fprintf(stderr, "权重已写入 %s\n", *out)
	return nil
}

// tuneCheckDevSuite refuses suites that are not development suites: weights
// are fitted on dev data only, never on held-back or test data.
func tuneCheckDevSuite(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	for _, part := range strings.Split(filepath.ToSlash(abs), "/") {
		switch strings.ToLower(part) {
		case "holdout", "held-out", "heldout", "test", "acceptance":
			return data.Errorf(data.EINVALID, "评测集 %s 不是开发集：权重只能在开发集上拟合", dir)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "suite.json"))
	if err != nil {
		return data.Errorf(data.EINVALID, "评测集目录 %s 无法读取 suite.json：%v", dir, err)
	}
	var s struct {
		Task  string `json:"task"`
		Split string `json:"split"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return data.Errorf(data.EINVALID, "评测集 %s 的 suite.json 格式错误：%v", dir, err)
	}
	if s.Task != "match" {
		return data.Errorf(data.EINVALID, "评测集 %s 的任务是 %q：只能在匹配（match）评测集上拟合权重", dir, s.Task)
	}
	if s.Split != "" && s.Split != "dev" {
		return data.Errorf(data.EINVALID, "评测集 %s 属于 %q：权重只能在开发集上拟合", dir, s.Split)
	}
	return nil
}
