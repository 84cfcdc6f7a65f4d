package main

import (
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress reports how far a long job has come: a bar on a terminal, a log
// line every few seconds otherwise.
type progress struct {
	bar   *progressbar.ProgressBar
	desc  string
	total int
	done  int
	last  time.Time
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func newProgress(w io.Writer, total int, desc string) *progress {
	p := &progress{desc: desc, total: total, last: time.Now()}
	if isTerminal(w) {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(desc),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

// Set records that done of total items are finished.
func (p *progress) Set(done int) {
	p.done = done
	if p.bar != nil {
		p.bar.Set(done)
		return
	}
	if time.Since(p.last) > 3*time.Second {
		p.last = time.Now()
		slog.Info(p.desc, "percent", percent(done, p.total), "done", done, "total", p.total)
	}
}

// Add records n more finished items.
func (p *progress) Add(n int) { p.Set(p.done + n) }

// Finish clears the bar, or logs the end of a job that logged progress.
func (p *progress) Finish() {
	if p.bar != nil {
		p.bar.Finish()
		return
	}
	if p.done > 0 && p.total > 0 {
		slog.Info(p.desc, "percent", percent(p.done, p.total), "done", p.done, "total", p.total)
	}
}

// percent is done of total in whole per cent (100 when total is unknown).
func percent(done, total int) int {
	if total <= 0 {
		return 100
	}
	return min(100, done*100/total)
}

// syncProgress reports the index catching up with the store when it has
// at least 1000 changes to apply (not the single change after a write).
func syncProgress(w io.Writer) func(done, total int) {
	var p *progress
	return func(done, total int) {
		if total < 1000 {
			return
		}
		if p == nil || p.total != total {
			p = newProgress(w, total, "编入索引")
		}
		p.Set(done)
		if done >= total {
			p.Finish()
			p = nil
		}
	}
}
