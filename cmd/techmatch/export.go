package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"iter"
	"os"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/tabular"
)

// pages ranges over a whole catalogue, a page at a time.
func pages[T any](ctx context.Context, list func(context.Context, data.ListOptions) ([]T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		const size = 2000
		for off := 0; ; off += size {
			recs, err := list(ctx, data.ListOptions{Offset: off, Limit: size})
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, r := range recs {
				if !yield(r, nil) {
					return
				}
			}
			if len(recs) < size {
				return
			}
		}
	}
}

// counted reports each record of seq to p as it passes.
func counted[T any](seq iter.Seq2[T, error], p *progress) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for v, err := range seq {
			if err == nil {
				p.Add(1)
			}
			if !yield(v, err) {
				return
			}
		}
	}
}

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dir := newFlags("export", stderr)
	kindFlag := fs.String("kind", "", "目录类型：achievements 或 demands")
	formatFlag := fs.String("format", "jsonl", "格式：jsonl、csv 或 xlsx")
	out := fs.String("out", "", "输出文件（默认标准输出）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	kind, err := data.ParseKind(*kindFlag)
	if err != nil {
		return err
	}
	format, err := tabular.ParseFormat(*formatFlag)
	if err != nil {
		return err
	}
	if format == tabular.FormatXLSX && *out == "" && isTerminal(stdout) {
		return data.Errorf(data.EINVALID, "XLSX 是二进制文件，请用 --out 指定输出文件")
	}
	db, err := openStore(ctx, *dir)
	if err != nil {
		return err
	}
	defer db.Close()

	w := stdout
	var f *os.File
	if *out != "" {
		if f, err = os.Create(*out); err != nil {
			return fileError(err)
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	counts, err := db.Counts(ctx)
	if err != nil {
		return err
	}
	total := counts.Achievements
	if kind == data.KindDemand {
		total = counts.Demands
	}
	p := newProgress(stderr, total, "导出"+kind.Label())
	if kind == data.KindDemand {
		err = tabular.Write(ctx, bw, format, counted(pages(ctx, db.ListDemands), p))
	} else {
		err = tabular.Write(ctx, bw, format, counted(pages(ctx, db.ListAchievements), p))
	}
	p.Finish()
	if err != nil {
		return fmt.Errorf("export %s: %w", kind, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write export: %w", err)
	}
	if f != nil {
		return f.Close()
	}
	return nil
}
