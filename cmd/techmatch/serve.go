package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/demo"
	"github.com/techmatch/techmatch/index"
	"github.com/techmatch/techmatch/matcher"
	"github.com/techmatch/techmatch/server"
	"github.com/techmatch/techmatch/server/web"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dir := newFlags("serve", stderr)
	addr := fs.String("addr", ":8080", "监听地址")
	seed := fs.Bool("demo", true, "数据为空时载入演示目录（30000 项成果、16000 项需求）")
	scale := fs.Int("demo-scale", 1, "演示目录的倍数：数据为空时载入 N 份演示记录（第 2 份起编号加 -x2…），用于容量测试")
	weightsFile := fs.String("weights", "", "匹配权重文件（默认使用内置权重）")
	refresh := fs.Duration("model-refresh", defaultModelRefresh, "目录变化后，匹配模型最多多久在后台重建一次（期间新写入的记录即时参与匹配）；0 表示从不")
	maxBody := fs.Int64("max-body", server.DefaultMaxBodyBytes, "请求体上限（字节）")
	limits := rateFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *scale < 1 || *scale > 100 {
		fmt.Fprint(stderr, "--demo-scale 应为 1 到 100 之间的整数\n")
		fs.Usage()
		return errSilent
	}

	setStartupMemoryLimit()
	pp, err := openPprof(ctx)
	if err != nil {
		return err
	}
	defer pp.Close()

	db, err := openStore(ctx, *dir)
	if err != nil {
		return err
	}
	defer db.Close()

	counts, err := db.Counts(ctx)
	if err != nil {
		return err
	}
	if *seed && counts.Achievements == 0 && counts.Demands == 0 {
		if err := seedDemo(ctx, db, *scale, stderr); err != nil {
			return fmt.Errorf("seed demo catalogue: %w", err)
		}
	}
	if *seed {
		if err := seedPipeline(ctx, db); err != nil {
			return fmt.Errorf("seed demo pairings: %w", err)
		}
	}

	// The saved matcher model loads while the index opens (the segmenter's
	// dictionary takes seconds to load).
	saved := make(chan *matcher.Model, 1)
	ixOpts := index.Options{Logger: slog.Default(), Analyzer: os.Getenv("TECHMATCH_ANALYZER"), Progress: syncProgress(stderr)}
	key, err := index.AnalysisIDAt(indexPath(*dir), ixOpts)
	if err != nil {
		return fmt.Errorf("open index: %w", err)
	}
	go func() {
		saved <- matcher.LoadModel(ctx, matcher.FileModelStore{Path: modelPath(*dir)}, key, slog.Default())
	}()

	ix, err := index.Open(ctx, indexPath(*dir), db, ixOpts)
	if err != nil {
		return fmt.Errorf("open index: %w", err)
	}
	defer ix.Close()

	admin := &server.AdminSocket{Store: db, Backup: db, Brokers: db, Audit: db}
	if err := admin.Open(adminSocketPath(*dir)); err != nil {
		return err
	}
	defer admin.Close(context.Background())

	m, err := newMatcher(db, ix, *dir, *weightsFile)
	if err != nil {
		return err
	}
	m.RefreshEvery = *refresh
	if *refresh == 0 {
		m.RefreshEvery = -1
	}
	if mdl := <-saved; mdl != nil && m.ModelKey == key {
		m.SetModel(mdl)
	}
	if *weightsFile == "" {
		if err := useActiveWeights(ctx, db, m); err != nil {
			return err
		}
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	defer m.Close()

	s := server.NewServer()
	s.Matcher = m
	s.Events = db
	s.Store = db
	s.Brokers, s.Pairings, s.Audit, s.Challenges, s.Applications, s.Reviews = db, db, db, db, db, db
	s.Index = ix
	s.Logger = slog.Default()
	s.MaxBodyBytes = *maxBody
	s.Limits = limits()
	s.Version = Version
	s.Web = &web.Workbench{Store: db, Index: ix, Matcher: m, Events: db, Logger: slog.Default(), API: s}
	if err := s.Open(*addr); err != nil {
		return err
	}
	slog.Info("techmatch serving", "addr", s.Addr(), "data", *dir)

	// Catch the index up in the background: the API answers meanwhile and
	// /healthz reports the lag. Closed (and waited for) before the index.
	cu := openCatchUp(ctx, ix, m, s.Degraded)
	defer cu.Close()

	<-ctx.Done()
	slog.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return s.Close(shutdownCtx)
}

// defaultModelRefresh is how often at most serve rebuilds the matcher
// model while the catalogue changes. A rebuild reads and cuts every record
// (15–20 s of CPU on the demo) and holds the old model and the new one at
// once (about 110 MB each on the demo), so the matcher's default of a
// minute keeps a server under a steady write load rebuilding almost
// without pause. Records written meanwhile are matched from their own
// fresh profiles (the matcher's change tracker); only the catalogue
// statistics (idf) wait for the rebuild.
const defaultModelRefresh = 15 * time.Minute

// seedDemo stores the generated demo catalogue in batches, scale times
// (copies after the first under the ids of demo.CopyID).
func seedDemo(ctx context.Context, db data.Store, scale int, stderr io.Writer) error {
	start := time.Now()
	achievements, demands := demo.Achievements(), demo.Demands()
	p := newProgress(stderr, scale*(len(achievements)+len(demands)), "载入演示目录")
	defer p.Finish()
	const batch = 2000
	for k := 1; k <= scale; k++ {
		for i := 0; i < len(achievements); i += batch {
			if _, err := db.PutAchievements(ctx, demo.CopyAchievements(achievements[i:min(i+batch, len(achievements))], k)); err != nil {
				return err
			}
			p.Add(min(batch, len(achievements)-i))
		}
		for i := 0; i < len(demands); i += batch {
			if _, err := db.PutDemands(ctx, demo.CopyDemands(demands[i:min(i+batch, len(demands))], k)); err != nil {
				return err
			}
			p.Add(min(batch, len(demands)-i))
		}
	}
	slog.Info("demo catalogue stored", "achievements", scale*len(achievements), "demands", scale*len(demands), "scale", scale, "seconds", time.Since(start).Seconds())
	return nil
}

// catchUp is serve's background start-up work: it catches the index up
// with the store, then builds the matcher's model. openCatchUp starts it;
// Close stops it and waits for it.
type catchUp struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// degraded, when not nil, is told in Chinese what failed, so that /healthz
// reports it.
func openCatchUp(ctx context.Context, ix *index.Index, m *matcher.Matcher, degraded func(string)) *catchUp {
	if degraded == nil {
		degraded = func(string) {}
	}
	ctx, cancel := context.WithCancel(ctx)
	c := &catchUp{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		start := time.Now()
		if n, err := ix.Sync(ctx); errors.Is(err, context.Canceled) {
			slog.Info("index catch-up stopped; the next start resumes it")
			return
		} else if err != nil {
			slog.Error("index catch-up", "err", err)
			degraded("索引追赶失败，搜索结果可能不完整：" + err.Error())
		} else if n > 0 {
			slog.Info("index caught up", "applied", n, "seconds", time.Since(start).Seconds())
		}
		// The saved model if it fits, otherwise a build (saved for the next
		// start); a match request meanwhile waits for this same model.
		start = time.Now()
		// Warm, not Refresh: a match that came early may have built the
		// model already, and it is not built twice.
		if err := m.Warm(ctx); err != nil {
			if !errors.Is(err, context.Canceled) {
				slog.Error("build matcher model", "err", err)
				degraded("匹配模型构建失败：" + err.Error())
			}
			return
		}
		slog.Info("matcher model ready", "seconds", time.Since(start).Seconds())
		startupDone()
	}()
	return c
}

// Close stops the catch-up and waits for it.
func (c *catchUp) Close() {
	c.cancel()
	<-c.done
}
