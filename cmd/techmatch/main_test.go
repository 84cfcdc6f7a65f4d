package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/server"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// runCmd runs a subcommand in-process and returns its output and error.
func runCmd(tb testing.TB, args ...string) (stdout, stderr string, err error) {
	tb.Helper()
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, &out, &errOut)
	return out.String(), errOut.String(), err
}

func writeFile(tb testing.TB, dir, name string, content []byte) string {
	tb.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, content, 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

func storeCounts(tb testing.TB, dir string) data.Counts {
	tb.Helper()
	db, err := openStore(context.Background(), dir)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	c, err := db.Counts(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func TestImportMixedFile(t *testing.T) {
	dir := t.TempDir()
	csv := "成果名称,成熟度,转让价格,完成单位\n" +
		"玉米秸秆颗粒燃料成型技术,中试,10-50,吉林农业大学\n" + // row 2: good
		",小试,,长春理工大学\n" + // row 3: no title
		"高镍三元正极材料,半成品,abc,吉林大学\n" + // row 4: bad maturity and price
		"人参皂苷提取工艺,产业化,面议,吉林农业大学\n" // row 5: good
	path := writeFile(t, t.TempDir(), "mixed.csv", []byte(csv))
	out, _, err := runCmd(t, "import", "--data", dir, "--kind", "achievements", path)
	if err == nil {
		t.Fatal("import with rejected rows exited 0")
	}
	for _, want := range []string{"第 3 行", "第 4 行", "接受 2 行", "拒绝 2 行", "price_wan", "maturity：成熟度“半成品”无法识别"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "第 2 行") || strings.Contains(out, "第 5 行") {
		t.Errorf("good rows reported as problems:\n%s", out)
	}
	if c := storeCounts(t, dir); c.Achievements != 2 {
		t.Fatalf("stored %d achievements, want the 2 good rows", c.Achievements)
	}

	// Re-importing the good rows changes nothing.
	good := writeFile(t, t.TempDir(), "good.csv", []byte("成果名称,成熟度,完成单位\n玉米秸秆颗粒燃料成型技术,中试,吉林农业大学\n"))
	out, _, err = runCmd(t, "import", "--data", dir, "--kind", "achievements", good)
	if err != nil {
		t.Fatalf("clean import failed: %v\n%s", err, out)
	}
	if !strings.Contains(out, "疑似重复 1 行") {
		t.Errorf("a same-title same-institution row under a new id was not reported as a duplicate:\n%s", out)
	}
	jsonl := writeFile(t, t.TempDir(), "a.jsonl", []byte(`{"id":"x1","title":"人参皂苷提取工艺"}`+"\n"))
	runCmd(t, "import", "--data", dir, "--kind", "achievements", jsonl)
	before := storeCounts(t, dir)
	out, _, err = runCmd(t, "import", "--data", dir, "--kind", "achievements", jsonl)
	if err != nil || !strings.Contains(out, "未变 1") {
		t.Fatalf("re-import: %v\n%s", err, out)
	}
	if after := storeCounts(t, dir); after != before {
		t.Fatalf("re-import changed the store: %+v → %+v", before, after)
	}
}

func TestImportGB18030Demands(t *testing.T) {
	dir := t.TempDir()
	text := "需求名称,企业名称,预算(万元),联系人,联系电话\n智能温室环境控制,长春绿源农业科技有限公司,20-80,张伟,13900000001\n"
	enc, err := simplifiedchinese.GB18030.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, t.TempDir(), "demands.csv", []byte(enc))
	if out, _, err := runCmd(t, "import", "--data", dir, "--kind", "demands", path); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	db, _ := openStore(context.Background(), dir)
	defer db.Close()
	recs, _ := db.ListDemands(context.Background(), data.ListOptions{})
	if len(recs) != 1 || recs[0].Enterprise.Name != "长春绿源农业科技有限公司" || recs[0].BudgetWan == nil ||
		recs[0].BudgetWan.Max != 80 || recs[0].Contact == nil || recs[0].Contact.Phone != "13900000001" {
		t.Fatalf("stored %+v", recs)
	}
}

func TestExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	src := writeFile(t, t.TempDir(), "a.jsonl", []byte(
		`{"id":"a1","title":"高镍三元正极材料","keywords":["正极材料","锂电池"],"maturity":"中试","price_wan":{"min":10,"max":50},"source":"x"}`+"\n"+
			`{"id":"a2","title":"人参皂苷提取工艺","institution":"吉林农业大学"}`+"\n"))
	if out, _, err := runCmd(t, "import", "--data", dir, "--kind", "achievements", src); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	for _, format := range []string{"jsonl", "csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out."+format)
			if _, _, err := runCmd(t, "export", "--data", dir, "--kind", "achievements", "--format", format, "--out", out); err != nil {
				t.Fatal(err)
			}
			dir2 := t.TempDir()
			if o, _, err := runCmd(t, "import", "--data", dir2, "--kind", "achievements", out); err != nil {
				t.Fatalf("re-import: %v\n%s", err, o)
			}
			db, _ := openStore(context.Background(), dir2)
			defer db.Close()
			a, err := db.Achievement(context.Background(), "a1")
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != "高镍三元正极材料" || len(a.Keywords) != 2 || a.PriceWan == nil || a.PriceWan.Max != 50 {
				t.Fatalf("round trip gave %+v", a)
			}
			if v, ok := a.Extra["source"]; !ok || !strings.Contains(string(v), "x") {
				t.Fatalf("unknown field lost in %s: %v", format, a.Extra)
			}
		})
	}
}

func TestTokenCreate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "not-yet-created")
	out, _, err := runCmd(t, "token", "create", "--data", dir, "--role", "broker", "--name", "张红娘")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	secret := lines[len(lines)-1]
	db, _ := openStore(context.Background(), dir)
	tok, err := db.TokenBySecret(context.Background(), secret)
	db.Close()
	if err != nil || tok.Role != data.RoleBroker || tok.Name != "张红娘" {
		t.Fatalf("last line %q is not a working token: %+v %v", secret, tok, err)
	}
	if _, _, err := runCmd(t, "token", "create", "--data", dir, "--role", "root"); err == nil {
		t.Fatal("unknown role accepted")
	}
	for _, args := range [][]string{
		{"--role", "broker", "--broker", "b-404"},         // no such broker
		{"--role", "scientist", "--name", "张三"},           // no institution
		{"--role", "enterprise", "--institution", "吉林大学"}, // binding on a role without one
	} {
		if _, _, err := runCmd(t, append([]string{"token", "create", "--data", dir}, args...)...); err == nil {
			t.Errorf("token create %v accepted", args)
		}
	}
	out, _, err = runCmd(t, "token", "create", "--data", dir, "--role", "scientist", "--institution", "吉林大学", "--name", "张三")
	if err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(strings.TrimSpace(out), "\n")
	db2, _ := openStore(context.Background(), dir)
	defer db2.Close()
	tok, err = db2.TokenBySecret(context.Background(), lines[len(lines)-1])
	if err != nil || tok.Role != data.RoleScientist || tok.Institution != "吉林大学" {
		t.Fatalf("scientist token %+v %v", tok, err)
	}
	if entries, _ := db2.Audit(context.Background(), data.AuditQuery{Object: "tokens/" + tok.ID}); len(entries) != 1 {
		t.Fatalf("token creation audit: %+v", entries)
	}
}

func TestBackupCommand(t *testing.T) {
	dir := t.TempDir()
	src := writeFile(t, t.TempDir(), "a.jsonl", []byte(`{"id":"a1","title":"一"}`+"\n"))
	runCmd(t, "import", "--data", dir, "--kind", "achievements", src)
	dst := filepath.Join(t.TempDir(), "backup.db")
	if _, _, err := runCmd(t, "backup", "--data", dir, dst); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(dst)
	if err != nil || len(raw) == 0 {
		t.Fatalf("backup file: %v", err)
	}
	bdir := t.TempDir()
	os.WriteFile(storePath(bdir), raw, 0o600)
	if c := storeCounts(t, bdir); c.Achievements != 1 {
		t.Fatalf("backup holds %+v", c)
	}
}

func TestUnknownCommand(t *testing.T) {
	if _, errOut, err := runCmd(t, "frobnicate"); err == nil || !strings.Contains(errOut, "未知命令") {
		t.Fatalf("err %v, stderr %q", err, errOut)
	}
}

func TestImportWithoutIDsIsIdempotent(t *testing.T) {
	dir := t.TempDir()
	csv := "需求名称,企业名称,预算(万元)\n" +
		"智能温室环境控制,长春绿源农业科技有限公司,20-80\n" +
		"玉米秸秆综合利用,吉林省丰收农机有限公司,10-30\n" +
		"汽车零部件轻量化,一汽配套企业,100-300\n"
	path := writeFile(t, t.TempDir(), "d.csv", []byte(csv))
	for run := range 3 {
		out, _, err := runCmd(t, "import", "--data", dir, "--kind", "demands", path)
		if err != nil {
			t.Fatalf("run %d: %v\n%s", run, err, out)
		}
		if c := storeCounts(t, dir); c.Demands != 3 {
			t.Fatalf("run %d: %d demands stored, want 3", run, c.Demands)
		}
		if run > 0 && !strings.Contains(out, "未变 3") {
			t.Errorf("run %d: rows not recognised as stored:\n%s", run, out)
		}
	}
}

func TestTokenListRevokeExpires(t *testing.T) {
	dir := t.TempDir()
	out, _, err := runCmd(t, "token", "create", "--data", dir, "--role", "enterprise", "--name", "长春某公司", "--expires", "90d")
	if err != nil || !strings.Contains(out, "到期") {
		t.Fatalf("create with expiry: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	secret := lines[len(lines)-1]
	out, _, err = runCmd(t, "token", "list", "--data", dir)
	if err != nil || !strings.Contains(out, "长春某公司") || !strings.Contains(out, "有效") {
		t.Fatalf("list: %v\n%s", err, out)
	}
	id := strings.Fields(strings.Split(strings.TrimSpace(out), "\n")[1])[0]
	if !strings.HasPrefix(id, "tok-") || strings.Contains(secret, strings.TrimPrefix(id, "tok-")) {
		t.Fatalf("id %q from the list (secret %s)", id, secret)
	}
	if out, _, err := runCmd(t, "token", "revoke", "--data", dir, id); err != nil || !strings.Contains(out, "已撤销") {
		t.Fatalf("revoke: %v\n%s", err, out)
	}
	db, _ := openStore(context.Background(), dir)
	_, err = db.TokenBySecret(context.Background(), secret)
	db.Close()
	if data.ErrorCode(err) != data.EUNAUTHORIZED {
		t.Fatalf("revoked token still works: %v", err)
	}
	if out, _, _ := runCmd(t, "token", "list", "--data", dir); !strings.Contains(out, "已撤销") {
		t.Fatalf("list after revoke:\n%s", out)
	}
	for _, bad := range []string{"0d", "abc", "2001-01-01", "-3h"} {
		if _, _, err := runCmd(t, "token", "create", "--data", dir, "--role", "broker", "--expires", bad); err == nil {
			t.Errorf("--expires %s accepted", bad)
		}
	}
	if _, _, err := runCmd(t, "token", "revoke", "--data", dir, "tok-000000000000"); data.ErrorCode(err) != data.ENOTFOUND {
		t.Errorf("revoke unknown id: %v", err)
	}
}

func TestFileErrorsNamePathOnce(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "缺失.csv")
	_, _, err := runCmd(t, "import", "--data", t.TempDir(), "--kind", "demands", missing)
	if err == nil {
		t.Fatal("import of a missing file succeeded")
	}
	msg := data.ErrorMessageOrText(err)
	if strings.Count(msg, missing) != 1 || !strings.Contains(msg, "找不到文件") {
		t.Fatalf("message %q should name the path once, in Chinese", msg)
	}
	_, _, err = runCmd(t, "export", "--data", t.TempDir(), "--kind", "demands", "--out", filepath.Join(missing, "x", "out.jsonl"))
	if msg := data.ErrorMessageOrText(err); err == nil || strings.Count(msg, "out.jsonl") != 1 {
		t.Fatalf("export error %q", msg)
	}
}

func TestFlagErrorsPrintUsage(t *testing.T) {
	for _, args := range [][]string{
		{"import", "--bogus"},
		{"import", "--kind", "demands"},
		{"export", "--format"},
		{"token", "create", "--nope"},
	} {
		_, errOut, err := runCmd(t, args...)
		if err == nil {
			t.Errorf("%v succeeded", args)
			continue
		}
		if !strings.Contains(errOut, "用法：techmatch "+args[0]) || !strings.Contains(errOut, "-data") {
			t.Errorf("%v: usage not printed in full:\n%s", args, errOut)
		}
		if strings.Contains(errOut, "flag provided") || strings.Contains(errOut, "flag needs") {
			t.Errorf("%v: English flag error:\n%s", args, errOut)
		}
	}
}

func TestBackupRestoreExportSameBytes(t *testing.T) {
	dir := t.TempDir()
	src := writeFile(t, t.TempDir(), "a.jsonl", []byte(
		`{"id":"a1","title":"高镍三元正极材料","keywords":["正极材料"],"source":"x"}`+"\n"+
			`{"title":"人参皂苷提取工艺","institution":"吉林农业大学"}`+"\n"))
	dsrc := writeFile(t, t.TempDir(), "d.csv", []byte("需求名称,企业名称,联系电话\n智能温室环境控制,长春绿源农业科技有限公司,13900000001\n"))
	if out, _, err := runCmd(t, "import", "--data", dir, "--kind", "achievements", src); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if out, _, err := runCmd(t, "import", "--data", dir, "--kind", "demands", dsrc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	export := func() string {
		var all string
		for _, kind := range []string{"achievements", "demands"} {
			for _, format := range []string{"jsonl", "csv"} {
				out, _, err := runCmd(t, "export", "--data", dir, "--kind", kind, "--format", format)
				if err != nil {
					t.Fatal(err)
				}
				all += out
			}
		}
		return all
	}
	before := export()
	backup := filepath.Join(t.TempDir(), "b.db")
	if _, _, err := runCmd(t, "backup", "--data", dir, backup); err != nil {
		t.Fatal(err)
	}
	// Change the store after the backup.
	more := writeFile(t, t.TempDir(), "m.jsonl", []byte(`{"id":"a1","title":"改过的名称"}`+"\n"+`{"id":"a3","title":"新增成果"}`+"\n"))
	if out, _, err := runCmd(t, "import", "--data", dir, "--kind", "achievements", more); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if export() == before {
		t.Fatal("the change did not change the export")
	}
	out, _, err := runCmd(t, "restore", "--data", dir, backup)
	if err != nil || !strings.Contains(out, "已从") {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	if after := export(); after != before {
		t.Fatalf("export after restore differs:\n%s\n---\n%s", before, after)
	}
	if _, err := os.Stat(storePath(dir) + ".before-restore"); err != nil {
		t.Errorf("the replaced store was not kept: %v", err)
	}
	// The dropped index is rebuilt from the restored store.
	if _, _, err := runCmd(t, "reindex", "--data", dir); err != nil {
		t.Fatal(err)
	}

	notStore := writeFile(t, t.TempDir(), "x.db", []byte("not a database at all, just text"))
	if _, _, err := runCmd(t, "restore", "--data", dir, notStore); data.ErrorCode(err) != data.EINVALID {
		t.Errorf("restore from a non-store file: %v", err)
	}
	if after := export(); after != before {
		t.Fatal("a refused restore changed the store")
	}
}

// While serve holds the store, token list and revoke go through its admin
// socket and the revocation holds at once.
func TestTokenCommandsThroughAdminSocket(t *testing.T) {
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
	secret, tok, err := db.CreateToken(context.Background(), data.TokenSpec{Role: data.RoleOrganiser, Name: "会展中心"})
	if err != nil {
		t.Fatal(err)
	}
	a := &server.AdminSocket{Store: db, Backup: db}
	if err := a.Open(adminSocketPath(dir)); err != nil {
		t.Fatal(err)
	}
	defer a.Close(context.Background())

	out, _, err := runCmd(t, "token", "list", "--data", dir)
	if err != nil || !strings.Contains(out, tok.ID) || !strings.Contains(out, "会展中心") {
		t.Fatalf("list through the socket: %v\n%s", err, out)
	}
	if out, _, err := runCmd(t, "token", "revoke", "--data", dir, tok.ID); err != nil || !strings.Contains(out, "已撤销") {
		t.Fatalf("revoke through the socket: %v\n%s", err, out)
	}
	if _, err := db.TokenBySecret(context.Background(), secret); data.ErrorCode(err) != data.EUNAUTHORIZED {
		t.Fatalf("token works after revoke through the socket: %v", err)
	}
	if _, _, err := runCmd(t, "token", "revoke", "--data", dir, "tok-unknown"); data.ErrorCode(err) != data.ENOTFOUND {
		t.Fatalf("revoke of an unknown id through the socket: %v", err)
	}
}
