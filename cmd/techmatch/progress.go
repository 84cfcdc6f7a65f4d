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
		slog.Info(p.desc, "done", done, "total", p.total)
	}
}

// Add records n more finished items.
func (p *progress) Add(n int) { p.Set(p.done + n) }

// Finish clears the bar.
func (p *progress) Finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
