package main

import (
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync/atomic"
	"time"
)

// synopses are the usage lines of the subcommands; the flags follow them.
var synopses = map[string]string{
	"serve":        "techmatch serve [--data DIR] [--addr :8080] [参数]",
	"import":       "techmatch import --data DIR --kind achievements|demands 文件…",
	"export":       "techmatch export --data DIR --kind achievements|demands [--format jsonl|csv|xlsx] [--out 文件]",
	"backup":       "techmatch backup --data DIR 备份文件",
	"restore":      "techmatch restore --data DIR 备份文件（须先停止服务）",
	"reindex":      "techmatch reindex --data DIR",
	"token create": "techmatch token create --data DIR --role admin|broker|organiser|enterprise|scientist [--name 名称] [--broker 经纪人编号] [--institution 单位] [--expires 90d]",
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
	" for -", "，参数 -",
	"invalid boolean value ", "无效的布尔值 ",
	"parse error", "无法解析",
	"value out of range", "超出范围",
	"invalid syntax", "格式错误",
	" (default ", "（默认 ",
)

// zhWriter translates the flag package's output on its way to w; fs
// gives the type a value of a flag should have.
type zhWriter struct {
	w  io.Writer
	fs *flag.FlagSet
}

// badValue is the flag package's "invalid value" message, translated.
var badValue = regexp.MustCompile(`无效的(?:布尔)?值 ("[^"]*")，参数 -([\w-]+): (无法解析|超出范围|格式错误)`)

func (z zhWriter) Write(p []byte) (int, error) {
	s := flagMessages.Replace(string(p))
	s = badValue.ReplaceAllStringFunc(s, func(m string) string {
		sub := badValue.FindStringSubmatch(m)
		if want := z.expected(sub[2]); want != "" {
			return fmt.Sprintf("参数 -%s 的值 %s 无效：应为%s", sub[2], sub[1], strings.TrimSpace(want))
		}
		return m
	})
	if strings.Contains(s, "（默认 ") {
		s = strings.ReplaceAll(s, ")\n", "）\n")
	}
	if _, err := io.WriteString(z.w, s); err != nil {
		return 0, err
	}
	return len(p), nil
}

// expected names the kind of value flag name takes.
func (z zhWriter) expected(name string) string {
	f := z.fs.Lookup(name)
	if f == nil {
		return ""
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return ""
	}
	switch g.Get().(type) {
	case int, int64, uint, uint64:
		return "整数"
	case float64:
		return "数字（如 30 或 0.5）"
	case time.Duration:
		return "时长（如 60s、5m、1h）"
	case bool:
		return "true 或 false"
	}
	return ""
}

// setUsage gives fs a Chinese usage: the synopsis and every flag. It is
// printed in full on -h and after any flag error.
func setUsage(fs *flag.FlagSet, name string, w io.Writer) {
	fs.SetOutput(zhWriter{w, fs})
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
