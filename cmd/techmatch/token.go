package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/data/bolt"
)

const tokenUsage = `用法：
  techmatch token create --data DIR --role admin|broker|organiser|enterprise|scientist [--name 名称] [--broker 经纪人编号] [--institution 单位] [--expires 90d]
  techmatch token list   --data DIR
  techmatch token revoke --data DIR 令牌编号

服务运行中也可使用：命令会通过数据目录里的管理套接字交给服务执行，撤销立即生效。
`

// parseExpiry reads --expires: a lifetime (90d, 12h, 30m) from now, or a
// date (2027-01-01, end of that day UTC is not implied: the token stops at
// its start).
func parseExpiry(s string, now time.Time) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	bad := data.Errorf(data.EINVALID, "--expires %q 无法识别：请写有效期如 90d、12h，或日期如 2027-01-01", s)
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days <= 0 || days > 3650 {
			return nil, bad
		}
		t := now.Add(time.Duration(days) * 24 * time.Hour).UTC()
		return &t, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		if d <= 0 {
			return nil, bad
		}
		t := now.Add(d).UTC()
		return &t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, time.Local); err == nil {
		if !t.After(now) {
			return nil, data.Errorf(data.EINVALID, "--expires %s 已经过去", s)
		}
		t = t.UTC()
		return &t, nil
	}
	return nil, bad
}

// withStore runs local on the store, or remote through the running
// server's admin socket when serve holds the store's lock.
func withStore(ctx context.Context, dir string, local func(*bolt.DB) error, remote func(*http.Client) error) error {
	db, err := openStore(ctx, dir)
	switch {
	case err == nil:
		defer db.Close()
		return local(db)
	case data.ErrorCode(err) == data.ECONFLICT:
		return remote(adminClient(dir))
	}
	return err
}

// adminCall sends a request to the admin socket and decodes the JSON answer.
func adminCall(ctx context.Context, cl *http.Client, method, path string, body any, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://techmatch"+path, rd)
	if err != nil {
		return err
	}
	resp, err := cl.Do(req)
	if err != nil {
		return adminUnreachable(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(resp.Body)
		code := data.EINTERNAL
		if resp.StatusCode == http.StatusNotFound {
			code = data.ENOTFOUND
		} else if resp.StatusCode == http.StatusBadRequest {
			code = data.EINVALID
		}
		return data.Errorf(code, "%s", strings.TrimSpace(string(msg)))
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func runTokenList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dir := newFlags("token list", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "token list 不需要其他参数：%s\n", strings.Join(fs.Args(), " "))
		fs.Usage()
		return errSilent
	}
	var toks []data.Token
	err := withStore(ctx, *dir, func(db *bolt.DB) (err error) {
		toks, err = db.Tokens(ctx)
		return err
	}, func(cl *http.Client) error {
		var out struct{ Tokens []data.Token }
		err := adminCall(ctx, cl, http.MethodGet, "/tokens", nil, &out)
		toks = out.Tokens
		return err
	})
	if err != nil {
		return err
	}
	printTokens(stdout, toks, time.Now())
	return nil
}

func printTokens(w io.Writer, toks []data.Token, now time.Time) {
	if len(toks) == 0 {
		fmt.Fprintln(w, "还没有令牌：techmatch token create --role … 创建一个")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "编号\t角色\t名称\t创建时间\t到期\t状态")
	for _, t := range toks {
		exp := "—"
		if t.Expires != nil {
			exp = t.Expires.Local().Format("2006-01-02 15:04")
		}
		state := "有效"
		switch {
		case t.Revoked != nil:
			state = "已撤销 " + t.Revoked.Local().Format("2006-01-02 15:04")
		case t.Expires != nil && !now.Before(*t.Expires):
			state = "已过期"
		}
		name := t.Name
		if name == "" {
			name = "—"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Role, name, t.Created.Local().Format("2006-01-02 15:04"), exp, state)
	}
	tw.Flush()
}

func runTokenRevoke(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dir := newFlags("token revoke", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprint(stderr, "需要一个令牌编号（techmatch token list 可查看）\n\n"+tokenUsage)
		return flag.ErrHelp
	}
	id := fs.Arg(0)
	var tok *data.Token
	err := withStore(ctx, *dir, func(db *bolt.DB) (err error) {
		tok, err = db.RevokeToken(ctx, id)
		return err
	}, func(cl *http.Client) error {
		var out struct{ Token *data.Token }
		err := adminCall(ctx, cl, http.MethodPost, "/tokens/"+id+"/revoke", nil, &out)
		tok = out.Token
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已撤销令牌 %s（角色 %s%s），使用它的请求立即被拒绝\n", tok.ID, tok.Role, nameSuffix(tok.Name))
	return nil
}

func nameSuffix(name string) string {
	if name == "" {
		return ""
	}
	return "，" + name
}
