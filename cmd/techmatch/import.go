package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/tabular"
)

// importBatch is how many accepted rows are stored in one transaction.
const importBatch = 1000

// importStats is the summary an import run ends with.
type importStats struct {
	Accepted, Created, Updated, Unchanged, Rejected, Duplicates int
	// Warnings counts public text that looks like contact data.
	Warnings int
}

// importer validates rows, reports rejects with their row numbers, flags
// likely duplicates, and stores accepted rows in batches.
type importer struct {
	db     data.Store
	kind   data.Kind
	out    io.Writer
	stats  importStats
	achs   []data.Achievement
	dems   []data.Demand
	rows   []int    // row numbers of the pending batch
	seen   dupIndex // normalised title+owner name → id
	file   string
	bar    *progress
	failed error
}

// dupIndex finds records with the same normalised title and
// institution/enterprise under another id.
type dupIndex map[string]string

func dupKey(title, org string) string {
	return data.NormalizeTitle(title) + "\x00" + data.NormalizeTitle(org)
}

func loadDupIndex(ctx context.Context, db data.Store, kind data.Kind) (dupIndex, error) {
	idx := dupIndex{}
	const page = 5000
	for off := 0; ; off += page {
		n := 0
		if kind == data.KindDemand {
			recs, err := db.ListDemands(ctx, data.ListOptions{Offset: off, Limit: page})
			if err != nil {
				return nil, err
			}
			for _, r := range recs {
				idx[dupKey(r.Title, r.Enterprise.Name)] = r.ID
			}
			n = len(recs)
		} else {
			recs, err := db.ListAchievements(ctx, data.ListOptions{Offset: off, Limit: page})
			if err != nil {
				return nil, err
			}
			for _, r := range recs {
				idx[dupKey(r.Title, r.Institution)] = r.ID
			}
			n = len(recs)
		}
		if n < page {
			return idx, nil
		}
	}
}

func (im *importer) reject(row int, err error) {
	im.stats.Rejected++
	var msgs []string
	for _, f := range data.ErrorFields(err) {
		// A message that names its field (or a row-wide one) stands alone.
		m := f.Message
		if f.Field != "" && !strings.Contains(m, f.Field) {
			m = f.Field + "：" + m
		}
		msgs = append(msgs, m)
	}
	if len(msgs) == 0 {
		msgs = append(msgs, data.ErrorMessageOrText(err))
	}
	fmt.Fprintf(im.out, "%s 第 %d 行 拒绝：%s\n", im.file, row, strings.Join(msgs, "；"))
}

func (im *importer) duplicate(row int, id, title, other string) {
	im.stats.Duplicates++
	fmt.Fprintf(im.out, "%s 第 %d 行 疑似重复：%q（编号 %s）与已有的 %s 名称和单位相同\n", im.file, row, title, id, other)
}

// allProblems adds the validation problems of a row's record to the cell
// problems the reader found, so that the report lists every problem of
// the row at once.
func allProblems(r tabular.Row) error {
	var rec data.Record
	switch {
	case r.Demand != nil:
		rec = r.Demand
	case r.Achievement != nil:
		rec = r.Achievement
	default:
		return r.Err
	}
	rec.Normalize()
	verr := rec.Validate()
	if verr == nil {
		return r.Err
	}
	fields := data.ErrorFields(r.Err)
	seen := map[string]bool{}
	for _, f := range fields {
		seen[f.Field] = true
	}
	for _, f := range data.ErrorFields(verr) {
		if f.Field == "" || !seen[f.Field] {
			fields = append(fields, f)
		}
	}
	return &data.Error{Code: data.EINVALID, Message: data.ErrorMessage(r.Err), Fields: fields}
}

func (im *importer) row(ctx context.Context, r tabular.Row) error {
	if r.Err != nil {
		im.reject(r.Num, allProblems(r))
		return nil
	}
	var rec data.Record
	var key, title string
	if r.Demand != nil {
		rec, key, title = r.Demand, dupKey(r.Demand.Title, r.Demand.Enterprise.Name), r.Demand.Title
	} else {
		rec, key, title = r.Achievement, dupKey(r.Achievement.Title, r.Achievement.Institution), r.Achievement.Title
	}
	rec.Normalize()
	if err := rec.Validate(); err != nil {
		im.reject(r.Num, err)
		return nil
	}
	if rec.RecordID() == "" {
		// A stable id from the row's content: re-running an import (after
		// a crash, say) finds the rows it already stored.
		id, err := data.ContentID(rec)
		if err != nil {
			return fmt.Errorf("row %d: content id: %w", r.Num, err)
		}
		rec.SetRecordID(id)
	}
	for _, w := range data.ContactWarnings(rec) {
		im.stats.Warnings++
		fmt.Fprintf(im.out, "%s 第 %d 行 提醒：%s %s\n", im.file, r.Num, w.Field, w.Message)
	}
	if other, ok := im.seen[key]; ok && other != rec.RecordID() {
		im.duplicate(r.Num, rec.RecordID(), title, other)
	} else if rec.RecordID() != "" {
		im.seen[key] = rec.RecordID()
	}
	if r.Demand != nil {
		im.dems = append(im.dems, *r.Demand)
	} else {
		im.achs = append(im.achs, *r.Achievement)
	}
	im.rows = append(im.rows, r.Num)
	if len(im.rows) >= importBatch {
		return im.flush(ctx)
	}
	return nil
}

func (im *importer) flush(ctx context.Context) error {
	if len(im.rows) == 0 {
		return nil
	}
	var res []data.PutResult
	var err error
	if im.kind == data.KindDemand {
		res, err = im.db.PutDemands(ctx, im.dems)
	} else {
		res, err = im.db.PutAchievements(ctx, im.achs)
	}
	if err != nil {
		return fmt.Errorf("store rows %d–%d: %w", im.rows[0], im.rows[len(im.rows)-1], err)
	}
	for _, r := range res {
		im.stats.Accepted++
		switch r {
		case data.Created:
			im.stats.Created++
		case data.Updated:
			im.stats.Updated++
		default:
			im.stats.Unchanged++
		}
	}
	if im.bar != nil {
		im.bar.Add(len(res))
	}
	im.achs, im.dems, im.rows = im.achs[:0], im.dems[:0], im.rows[:0]
	return nil
}

// countLines estimates the rows of a text file for the progress bar.
func countLines(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	return strings.Count(string(b), "\n")
}

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dir := newFlags("import", stderr)
	kindFlag := fs.String("kind", "", "目录类型：achievements 或 demands")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *kindFlag == "" {
		fmt.Fprint(stderr, "请用 --kind 指明目录类型：achievements（科技成果）或 demands（技术需求）\n")
		fs.Usage()
		return errSilent
	}
	kind, err := data.ParseKind(*kindFlag)
	if err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fmt.Fprint(stderr, "请给出要导入的文件\n")
		fs.Usage()
		return errSilent
	}
	db, err := openStore(ctx, *dir)
	if err != nil {
		return err
	}
	defer db.Close()
	seen, err := loadDupIndex(ctx, db, kind)
	if err != nil {
		return fmt.Errorf("load existing records: %w", err)
	}
	im := &importer{db: db, kind: kind, out: stdout, seen: seen}
	for _, path := range fs.Args() {
		if err := im.importFile(ctx, path, stderr); err != nil {
			return err
		}
	}
	s := im.stats
	fmt.Fprintf(stdout, "导入完成：接受 %d 行（新增 %d，更新 %d，未变 %d），拒绝 %d 行，疑似重复 %d 行\n",
		s.Accepted, s.Created, s.Updated, s.Unchanged, s.Rejected, s.Duplicates)
	if s.Warnings > 0 {
		fmt.Fprintf(stdout, "另有 %d 处公开字段似乎含有电话或邮箱，请核对后移到联系方式中\n", s.Warnings)
	}

	if err := syncIndex(ctx, *dir, db, stderr); err != nil {
		return err
	}
	if s.Rejected > 0 {
		return errSilent
	}
	return nil
}

func (im *importer) importFile(ctx context.Context, path string, stderr io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return fileError(err)
	}
	defer f.Close()
	im.file = filepath.Base(path)
	if n := countLines(path); n > 1000 {
		im.bar = newProgress(stderr, n, "导入 "+im.file)
		defer im.bar.Finish()
	} else {
		im.bar = nil
	}
	opts := tabular.Options{OnUnknownColumns: func(cols []string) {
		fmt.Fprintf(im.out, "%s：以下列无法识别，已原样保存在记录的附加字段中（附加字段按私密处理，仅录入账号和管理员可见）：%s\n", im.file, strings.Join(cols, "、"))
	}, OnContactColumns: func(cols []string) {
		fmt.Fprintf(im.out, "%s：以下列识别为联系方式，保存为私密的联系信息（contact），仅录入账号、指派的技术经纪人和管理员可见：%s\n", im.file, strings.Join(cols, "、"))
	}}
	err = tabular.Read(ctx, f, path, im.kind, func(r tabular.Row) error { return im.row(ctx, r) }, opts)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return err
		}
		if data.ErrorCode(err) != data.EINTERNAL {
			return err // already says what is wrong, in Chinese
		}
		return fmt.Errorf("读取 %s：%w", filepath.Base(path), err)
	}
	return im.flush(ctx)
}
