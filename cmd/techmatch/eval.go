package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/internal/eval"
)

// runEval implements `techmatch eval --suite DIR`: it loads the suite into a
// temporary store and index (never the user's data), built as serve builds
// a new data directory (or, with --harvest, as reindex builds), and prints
// one JSON object with the suite's figures; its "build" field says which
// build was measured and what the other command builds differently.
func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, _ := newFlags("eval", stderr)
	suiteDir := fs.String("suite", "", "评测集目录（含 suite.json）")
	analyzer := fs.String("analyzer", "gse", "分析器：gse、cjk 或 standard（用于对比）")
	runFile := fs.String("run", "", "写出 TREC 格式的结果文件（检索集；匹配集为全库匹配结果）")
	rerankRun := fs.String("rerank-run", "", "匹配集：写出仅对已评判成果重排的 TREC 结果文件")
	weights := fs.String("weights", "", "匹配集：匹配权重文件（默认内置）")
	feedback := fs.Int("feedback", 0, "匹配集：评测集的评分扮演经纪人，评判首轮排名前 K 条（建议 5），再比较有无反馈的剩余排名；0 表示不评测反馈")
	harvest := fs.Bool("harvest", false, "按 reindex 的方式建索引（把目录关键词加入分词词典）；默认按 serve 在新数据目录中的方式")
	_ = fs.Bool("json", true, "以 JSON 输出（默认即为 JSON）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *suiteDir == "" {
		return data.Errorf(data.EINVALID, "请用 --suite 指定评测集目录")
	}
	suite, err := eval.LoadSuite(*suiteDir)
	if err != nil {
		return err
	}
	build := eval.BuildOptions{Analyzer: *analyzer, Harvest: *harvest, Logger: slog.Default()}
	var result any
	switch suite.Task {
	case "search":
		opt := eval.SearchOptions{BuildOptions: build, RunTag: "techmatch"}
		if *runFile != "" {
			f, err := os.Create(*runFile)
			if err != nil {
				return fmt.Errorf("create run file: %w", err)
			}
			defer f.Close()
			opt.Run = f
		}
		result, err = eval.RunSearch(ctx, *suiteDir, opt)
	case "match":
		result, err = runMatchSuite(ctx, *suiteDir, build, matchSuiteOptions{
			RunFile: *runFile, RerankRunFile: *rerankRun, WeightsFile: *weights, Feedback: *feedback,
		})
	default:
		return data.Errorf(data.EINVALID, "评测集 %s 的任务类型 %q 无法识别：应为 search 或 match", suite.Name, suite.Task)
	}
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(result)
}
