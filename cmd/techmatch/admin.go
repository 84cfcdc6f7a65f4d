package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/server"
)

func adminSocketPath(dir string) string { return filepath.Join(dir, "admin.sock") }

// adminClient talks to a running `serve` over its Unix socket.
func adminClient(dir string) *http.Client {
	sock := adminSocketPath(dir)
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", sock)
		},
	}}
}

// adminUnreachable is the error when the store is locked but no server
// answers on its admin socket.
func adminUnreachable(err error) error {
	sock := "管理套接字"
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Addr != nil {
		sock += " " + oe.Addr.String()
	}
	return data.Errorf(data.EUNAVAILABLE, "数据文件正被占用，但连不上运行中服务的%s：服务可能还在启动（请稍后重试），"+
		"或另一个命令（如 import、reindex）正在使用数据文件（请等它结束）", sock)
}

// runToken implements `techmatch token create|list|revoke`.
func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	sub := ""
	if len(args) > 0 {
		sub = args[0]
	}
	switch sub {
	case "list":
		return runTokenList(ctx, args[1:], stdout, stderr)
	case "revoke":
		return runTokenRevoke(ctx, args[1:], stdout, stderr)
	case "create":
	default:
		fmt.Fprint(stderr, tokenUsage)
		return errSilent
	}
	fs, dir := newFlags("token create", stderr)
	role := fs.String("role", "", "角色：admin、broker、organiser、enterprise 或 scientist")
	name := fs.String("name", "", "令牌持有人的名称（如企业名）")
	expiresFlag := fs.String("expires", "", "有效期，如 90d、12h，或到期日 2027-01-01（默认长期有效）")
	broker := fs.String("broker", "", "broker 令牌绑定的技术经纪人编号（人才库中的记录）")
	institution := fs.String("institution", "", "scientist 令牌绑定的单位（如 吉林大学）")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *role == "" || fs.NArg() > 0 {
		if *role == "" {
			fmt.Fprint(stderr, "请用 --role 指明令牌的角色：admin、broker、organiser、enterprise 或 scientist\n")
		} else {
			fmt.Fprintf(stderr, "多余的参数：%s（参数都以 -- 开头）\n", strings.Join(fs.Args(), " "))
		}
		fs.Usage()
		return errSilent
	}
	r, err := data.ParseRole(*role)
	if err != nil {
		return err
	}
	expires, err := parseExpiry(*expiresFlag, time.Now())
	if err != nil {
		return err
	}
	spec := data.TokenSpec{Role: r, Name: *name, BrokerID: strings.TrimSpace(*broker), Institution: strings.TrimSpace(*institution), Expires: expires}
	if err := server.CheckTokenSpec(spec); err != nil {
		return err
	}
	var secret, id string
	db, err := openStore(ctx, *dir)
	switch {
	case err == nil:
		defer db.Close()
		s, tok, err := server.CreateBoundToken(ctx, db, db, db, spec)
		if err != nil {
			return err
		}
		secret, id = s, tok.ID
	case data.ErrorCode(err) == data.ECONFLICT:
		// serve holds the store: ask it.
		body := map[string]any{"role": string(r), "name": *name, "expires": expires, "broker_id": spec.BrokerID, "institution": spec.Institution}
		var out struct {
			Secret string     `json:"secret"`
			Token  data.Token `json:"token"`
		}
		if err := adminCall(ctx, adminClient(*dir), http.MethodPost, "/tokens", body, &out); err != nil {
			return err
		}
		secret, id = out.Secret, out.Token.ID
	default:
		return err
	}
	until := ""
	if expires != nil {
		until = "，" + expires.Local().Format("2006-01-02 15:04") + " 到期"
	}
	fmt.Fprintf(stdout, "已创建令牌 %s（角色 %s%s）。令牌只显示这一次，请妥善保存：\n%s\n", id, r, until, secret)
	return nil
}

// runBackup implements `techmatch backup --data DIR FILE`: a consistent hot
// copy, through the running server when it holds the store.
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dir := newFlags("backup", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprint(stderr, "请给出一个备份文件名\n")
		fs.Usage()
		return errSilent
	}
	dst := fs.Arg(0)
	tmp := dst + ".partial"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("create backup file: %w", err)
	}
	defer os.Remove(tmp)
	defer f.Close()

	var n int64
	db, err := openStore(ctx, *dir)
	switch {
	case err == nil:
		n, err = db.Backup(ctx, f)
		db.Close()
		if err != nil {
			return err
		}
	case data.ErrorCode(err) == data.ECONFLICT:
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://techmatch/backup", nil)
		resp, err := adminClient(*dir).Do(req)
		if err != nil {
			return adminUnreachable(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			msg, _ := io.ReadAll(resp.Body)
			return data.Errorf(data.EINTERNAL, "运行中的服务未能完成备份（%d）：%s", resp.StatusCode, strings.TrimSpace(string(msg)))
		}
		if n, err = io.Copy(f, resp.Body); err != nil {
			return fmt.Errorf("copy backup: %w", err)
		}
	default:
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync backup: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close backup: %w", err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("rename backup: %w", err)
	}
	fmt.Fprintf(stdout, "已备份 %d 字节到 %s\n", n, dst)
	return nil
}
