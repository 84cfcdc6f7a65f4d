// Command techmatch pairs research achievements with enterprises' technology
// demands. It is the only place that reads flags and the environment and
// wires the store, the indexes, the matcher and the server together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/techmatch/techmatch/data/bolt"
)

// Version is set at build time with -ldflags "-X main.Version=…".
var Version = "dev"

const usage = `techmatch 科技成果与技术需求智能匹配

用法：techmatch <命令> [参数]

命令：
  serve     启动 HTTP 服务（空数据目录时自动载入演示目录）
  import    导入 JSONL / CSV / XLSX 文件
  export    导出为 JSONL / CSV / XLSX
  backup    热备份数据文件
  restore   从备份恢复数据文件（须先停止服务）
  token     API 令牌：token create | list | revoke
  reindex   从数据文件重建全文索引
  eval      在评测集上测量检索与匹配质量
  tune      在开发评测集上拟合匹配权重
  event     活动排期：路演议程与沙龙洽谈日程
  bench     对运行中的服务压测（只访问 --addr 给出的地址）
  pairings  对接台账导出（export --format xlsx|csv）与年度报告（report --year）
  version   显示版本

各命令的参数：techmatch <命令> -h
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	slog.SetDefault(logger)
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) && !errors.Is(err, errSilent) && !flagFailed.Load() {
			fmt.Fprintln(os.Stderr, "错误："+personMessage(err))
		}
		os.Exit(1)
	}
}

// errSilent means the command already said what went wrong.
var errSilent = errors.New("silent failure")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return flag.ErrHelp
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, rest, stdout, stderr)
	case "import":
		return runImport(ctx, rest, stdout, stderr)
	case "export":
		return runExport(ctx, rest, stdout, stderr)
	case "backup":
		return runBackup(ctx, rest, stdout, stderr)
	case "restore":
		return runRestore(ctx, rest, stdout, stderr)
	case "token":
		return runToken(ctx, rest, stdout, stderr)
	case "reindex":
		return runReindex(ctx, rest, stdout, stderr)
	case "eval":
		return runEval(ctx, rest, stdout, stderr)
	case "tune":
		return runTune(ctx, rest, stdout, stderr)
	case "event":
		return runEvent(ctx, rest, stdout, stderr)
	case "bench":
		return runBench(ctx, rest, stdout, stderr)
	case "pairings":
		return runPairings(ctx, rest, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "techmatch", Version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "未知命令 %q\n\n%s", cmd, usage)
	return errSilent
}

// newFlags returns a flag set for a subcommand with the shared --data flag.
func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	setUsage(fs, name, stderr)
	def := os.Getenv("TECHMATCH_DATA")
	if def == "" {
		def = "./techmatch-data"
	}
	dir := fs.String("data", def, "数据目录（环境变量 TECHMATCH_DATA）")
	return fs, dir
}

func storePath(dir string) string { return filepath.Join(dir, "techmatch.db") }
func indexPath(dir string) string { return filepath.Join(dir, "index") }

func openStore(ctx context.Context, dir string) (*bolt.DB, error) {
	return bolt.Open(ctx, storePath(dir))
}

// modelPath is the matcher's saved model: derived data, rebuilt when
// missing or stale.
func modelPath(dir string) string { return filepath.Join(dir, "matcher.model") }
