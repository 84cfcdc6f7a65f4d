package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
)

// synopses are the usage lines of the subcommands; the flags follow them.
var synopses = map[string]string{
	"serve":        "techmatch serve [--data DIR] [--addr :8080] [参数]",
	"import":       "techmatch import --data DIR --kind achievements|demands 文件…",
	"export":       "techmatch export --data DIR --kind achievements|demands [--format jsonl|csv|xlsx] [--out 文件]",
	"backup":       "techmatch backup --data DIR 备份文件",
	"restore":      "techmatch restore --data DIR 备份文件（须先停止服务）",
	"reindex":      "techmatch reindex --data DIR",
	"token create": "techmatch token create --data DIR --role admin|broker|organiser|enterprise [--name 名称] [--expires 90d]",
	"token list":   "techmatch token list --data DIR",
	"token revoke": "techmatch token revoke --data DIR 令牌编号",
	"bench":        "techmatch bench --addr http://127.0.0.1:8080 [--mix search=70,match=20,write=10] [--duration 60s] [--concurrency 4]",
}

// flagFailed is set when a flag set printed its usage after a parse error,
// so that main does not repeat the error in English.
var flagFailed atomic.Bool

// flagMessages turn the flag package's messages into Chinese.
var flagMessages = strings.NewReplacer(
	"flag provided but not defined: ", "没有这个参数：",
	"flag needs an argument: ", "参数需要一个值：",
	"bad flag syntax: ", "参数格式错误：",
	"invalid value ", "无效的值 ",
	" for flag ", "，参数 ",
	"invalid boolean value ", "无效的布尔值 ",
	"parse error", "无法解析",
	"value out of range", "超出范围",
	"invalid syntax", "格式错误",
	" (default ", "（默认 ",
)

// zhWriter translates the flag package's output on its way to w.
type zhWriter struct{ w io.Writer }

func (z zhWriter) Write(p []byte) (int, error) {
	s := flagMessages.Replace(string(p))
	if strings.Contains(s, "（默认 ") {
		s = strings.ReplaceAll(s, ")\n", "）\n")
	}
	if _, err := io.WriteString(z.w, s); err != nil {
		return 0, err
	}
	return len(p), nil
}

// setUsage gives fs a Chinese usage: the synopsis and every flag. It is
// printed in full on -h and after any flag error.
func setUsage(fs *flag.FlagSet, name string, w io.Writer) {
	fs.SetOutput(zhWriter{w})
	fs.Usage = func() {
		flagFailed.Store(true)
		syn := synopses[name]
		if syn == "" {
			syn = "techmatch " + name + " [参数]"
		}
		fmt.Fprintf(w, "\n用法：%s\n\n参数：\n", syn)
		fs.PrintDefaults()
	}
}
