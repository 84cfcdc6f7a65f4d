package tabular_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/tabular"
)

// benchRows is the size of a large provincial catalogue.
const benchRows = 30000

// syntheticAchievements returns n achievements of realistic size (an
// abstract of about 300 characters) built from the samples.
func syntheticAchievements(n int) []data.Achievement {
	base := sampleAchievements()
	abstract := strings.Repeat("本成果针对东北寒地玉米秸秆还田难题，研制了粉碎、抛撒、深翻一体化装置。", 8)
	out := make([]data.Achievement, n)
	for i := range out {
		a := base[i%len(base)]
		a.ID = fmt.Sprintf("JL-%06d", i)
		a.Title = fmt.Sprintf("%s（第 %d 号）", a.Title, i)
		a.Abstract = abstract
		out[i] = a
	}
	return out
}

var benchFiles = map[tabular.Format][]byte{}

func benchFile(b *testing.B, format tabular.Format) []byte {
	b.Helper()
	if f, ok := benchFiles[format]; ok {
		return f
	}
	var buf bytes.Buffer
	if err := tabular.Write(context.Background(), &buf, format, tabular.Records(syntheticAchievements(benchRows))); err != nil {
		b.Fatal(err)
	}
	benchFiles[format] = buf.Bytes()
	return buf.Bytes()
}

func benchmarkRead(b *testing.B, format tabular.Format) {
	content := benchFile(b, format)
	b.SetBytes(int64(len(content)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		err := tabular.Read(context.Background(), bytes.NewReader(content), "bench."+string(format), data.KindAchievement, func(r tabular.Row) error {
			if r.Err != nil {
				return r.Err
			}
			n++
			return nil
		})
		if err != nil || n != benchRows {
			b.Fatalf("read %d rows: %v", n, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchRows, "ns/row")
}

func BenchmarkReadCSV(b *testing.B)   { benchmarkRead(b, tabular.FormatCSV) }
func BenchmarkReadJSONL(b *testing.B) { benchmarkRead(b, tabular.FormatJSONL) }
func BenchmarkReadXLSX(b *testing.B)  { benchmarkRead(b, tabular.FormatXLSX) }

func benchmarkWrite(b *testing.B, format tabular.Format) {
	recs := syntheticAchievements(benchRows)
	b.ReportAllocs()
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := tabular.Write(context.Background(), &buf, format, tabular.Records(recs)); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.SetBytes(int64(size))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchRows, "ns/row")
}

func BenchmarkWriteCSV(b *testing.B)   { benchmarkWrite(b, tabular.FormatCSV) }
func BenchmarkWriteJSONL(b *testing.B) { benchmarkWrite(b, tabular.FormatJSONL) }
func BenchmarkWriteXLSX(b *testing.B)  { benchmarkWrite(b, tabular.FormatXLSX) }

// BenchmarkReadSharedCSV reads the real achievements exported as CSV.
func BenchmarkReadSharedCSV(b *testing.B) {
	raw := readShared(b, "achievements.jsonl")
	var recs []data.Achievement
	err := tabular.Read(context.Background(), bytes.NewReader(raw), "a.jsonl", data.KindAchievement, func(r tabular.Row) error {
		recs = append(recs, *r.Achievement)
		return r.Err
	})
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := tabular.Write(context.Background(), &buf, tabular.FormatCSV, tabular.Records(recs)); err != nil {
		b.Fatal(err)
	}
	content := buf.Bytes()
	b.SetBytes(int64(len(content)))
	b.ReportAllocs()
	for b.Loop() {
		if err := tabular.Read(context.Background(), bytes.NewReader(content), "a.csv", data.KindAchievement, func(tabular.Row) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
