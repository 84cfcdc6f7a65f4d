package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/server"
)

// goWording is Go's or the system's English that must not reach a person.
var goWording = regexp.MustCompile(`no such file|not a directory|permission denied|mkdir |open |json:|invalid character|unexpected`)

// TestCommandErrorsInChinese runs subcommands as a newcomer gets them
// wrong and checks what main would print: Chinese, each path once.
func TestCommandErrorsInChinese(t *testing.T) {
	tmp := t.TempDir()
	aFile := writeFile(t, tmp, "afile", []byte("x"))
	jsonl := writeFile(t, tmp, "d.jsonl", []byte(`{"id":"d1","title":"秸秆"}`+"\n"))
	for _, tc := range []struct {
		name     string
		args     []string
		path     string // named exactly once
		contains string
	}{
		{"data dir is a file", []string{"import", "--data", aFile, "--kind", "demands", jsonl}, aFile, "不是目录"},
		{"backup into a missing directory", []string{"backup", "--data", filepath.Join(tmp, "data"), filepath.Join(tmp, "无", "b.db")}, filepath.Join(tmp, "无"), "找不到"},
		{"import a missing file", []string{"import", "--data", filepath.Join(tmp, "data"), "--kind", "demands", filepath.Join(tmp, "缺.jsonl")}, filepath.Join(tmp, "缺.jsonl"), "找不到文件"},
		{"restore a missing backup", []string{"restore", "--data", filepath.Join(tmp, "r"), filepath.Join(tmp, "无备份")}, filepath.Join(tmp, "无备份"), "找不到"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runCmd(t, tc.args...)
			if err == nil {
				t.Fatal("succeeded")
			}
			msg := personMessage(err)
			if goWording.MatchString(msg) || !strings.Contains(msg, tc.contains) || strings.Count(msg, tc.path) != 1 {
				t.Errorf("message %q: want Chinese with %q and the path %s once", msg, tc.contains, tc.path)
			}
		})
	}
}

// TestImportReportReadsWell: each problem of a row once, the field named
// once, no empty field before a row-wide problem.
func TestImportReportReadsWell(t *testing.T) {
	bad := writeFile(t, t.TempDir(), "bad.jsonl", []byte(`{"id":"x","title":5}`+"\n"+
		`{"id":"y","title":"t","budget_wan":{"max":"很多"}}`+"\n"+`{bad json`+"\n"))
	out, _, err := runCmd(t, "import", "--data", t.TempDir(), "--kind", "demands", bad)
	if err == nil {
		t.Fatal("import with rejected rows exited 0")
	}
	for _, want := range []string{"第 1 行 拒绝：字段 title 应为文本", "第 2 行 拒绝：字段 budget_wan.max 应为数字", "第 3 行 拒绝：不是有效的 JSON"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "：：") || strings.Contains(out, "title：字段 title") {
		t.Errorf("report repeats a field or shows an empty one:\n%s", out)
	}
}

func TestImportWithoutKindPrintsUsage(t *testing.T) {
	_, errOut, err := runCmd(t, "import", "--data", t.TempDir(), "x.jsonl")
	if err == nil || !strings.Contains(errOut, "请用 --kind 指明") || !strings.Contains(errOut, "用法：techmatch import") || !strings.Contains(errOut, "-kind") {
		t.Fatalf("%v\n%s", err, errOut)
	}
}

// TestRateFlagsAndEnvironment: flags win over the environment, 0 turns a
// limit off, a value that is not a number is said and the default used.
func TestRateFlagsAndEnvironment(t *testing.T) {
	var logged bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })
	t.Setenv("TECHMATCH_RATE_ANON", "0")
	t.Setenv("TECHMATCH_RATE_READ", "5")
	t.Setenv("TECHMATCH_RATE_WRITE", "很多")
	t.Setenv("TECHMATCH_RATE_WRITE_BURST", "7")
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	limits := rateFlags(fs)
	if err := fs.Parse([]string{"--rate-read", "0", "--rate-anon-burst", "9"}); err != nil {
		t.Fatal(err)
	}
	d := server.DefaultRateLimits()
	want := server.RateLimits{Anon: 0, AnonBurst: 9, Read: 0, ReadBurst: d.ReadBurst, Write: d.Write, WriteBurst: 7}
	if got := limits(); got != want {
		t.Errorf("limits %+v, want %+v", got, want)
	}
	if !strings.Contains(logged.String(), "TECHMATCH_RATE_WRITE") || !strings.Contains(logged.String(), "不是非负数") {
		t.Errorf("a bad environment value was not said: %q", logged.String())
	}
}

func TestPersonMessageKeepsOtherErrors(t *testing.T) {
	if got := personMessage(errors.New("技术需求 \"d1\" 不存在")); got != "技术需求 \"d1\" 不存在" {
		t.Errorf("got %q", got)
	}
	if _, err := os.Open(filepath.Join(t.TempDir(), "x")); personMessage(err) == err.Error() {
		t.Errorf("a path error was shown as Go wrote it: %q", personMessage(err))
	}
}

// TestTokenCommandsWhileLocked: with the store held by another process
// and no admin socket, token and backup commands say so in Chinese; with
// the socket open, token create goes through it.
func TestTokenCommandsWhileLocked(t *testing.T) {
	dir, err := os.MkdirTemp("", "tm") // a short path: Unix socket names are limited
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := openStore(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, args := range [][]string{
		{"token", "list", "--data", dir},
		{"token", "revoke", "--data", dir, "tok-x"},
		{"token", "create", "--data", dir, "--role", "broker"},
		{"backup", "--data", dir, filepath.Join(t.TempDir(), "b.db")},
	} {
		_, _, err := runCmd(t, args...)
		msg := personMessage(err)
		if data.ErrorCode(err) != data.EUNAVAILABLE || strings.Contains(msg, "dial") || strings.Count(msg, "admin.sock") != 1 {
			t.Errorf("%v: %v: %q, want the Chinese unavailable error naming the socket once", args, data.ErrorCode(err), msg)
		}
	}
	a := &server.AdminSocket{Store: db, Backup: db}
	if err := a.Open(adminSocketPath(dir)); err != nil {
		t.Fatal(err)
	}
	defer a.Close(context.Background())
	out, _, err := runCmd(t, "token", "create", "--data", dir, "--role", "organiser", "--name", "会展中心", "--expires", "30d")
	if err != nil || !strings.Contains(out, "已创建令牌") {
		t.Fatalf("create through the socket: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	secret := lines[len(lines)-1]
	tok, err := db.TokenBySecret(context.Background(), secret)
	if err != nil || tok.Role != data.RoleOrganiser || tok.Expires == nil {
		t.Fatalf("token created through the socket: %+v %v", tok, err)
	}
}

// TestFlagValueErrorsNameTheType: a value of the wrong type says which
// flag and what it takes, then the subcommand's usage.
func TestFlagValueErrorsNameTheType(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"bench", "--duration", "abc"}, `参数 -duration 的值 "abc" 无效：应为时长`},
		{[]string{"bench", "--concurrency", "x"}, `参数 -concurrency 的值 "x" 无效：应为整数`},
		{[]string{"serve", "--rate-anon", "很多"}, `参数 -rate-anon 的值 "很多" 无效：应为数字`},
		{[]string{"serve", "--demo=maybe"}, `参数 -demo 的值 "maybe" 无效：应为true 或 false`},
		{[]string{"token", "create", "--data", t.TempDir()}, "请用 --role 指明令牌的角色"},
		{[]string{"token", "list", "--data", t.TempDir(), "extra"}, "token list 不需要其他参数：extra"},
	} {
		_, errOut, err := runCmd(t, tc.args...)
		if err == nil || !strings.Contains(errOut, tc.want) || !strings.Contains(errOut, "用法：techmatch "+tc.args[0]) ||
			!strings.Contains(errOut, "-data") || strings.Contains(errOut, "parse error") || strings.Contains(errOut, " for -") {
			t.Errorf("%v: %v\n%s", tc.args, err, errOut)
		}
	}
}
