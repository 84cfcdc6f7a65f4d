package main

import (
	"flag"
	"fmt"
	"log/slog"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/techmatch/techmatch/server"
)

// envFloat is the value of an environment variable, or def when unset;
// a value that is not a non-negative number is said (in Chinese, on the
// log) and def is used.
func envFloat(name string, def float64) float64 {
	raw := os.Getenv(name)
	if raw == "" {
		return def
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		slog.Warn(fmt.Sprintf("环境变量 %s 的值 %q 不是非负数，已改用默认值 %g（0 为不限）", name, raw, def))
		return def
	}
	return v
}

// rateFlags adds the rate limit flags to fs, each defaulting to its
// environment variable and then to server.DefaultRateLimits; 0 turns a
// limit off. The returned function reads them after Parse.
func rateFlags(fs *flag.FlagSet) func() server.RateLimits {
	d := server.DefaultRateLimits()
	anon := fs.Float64("rate-anon", envFloat("TECHMATCH_RATE_ANON", d.Anon), "无令牌请求每个地址每秒上限，0 为不限（环境变量 TECHMATCH_RATE_ANON）")
	anonBurst := fs.Int("rate-anon-burst", int(envFloat("TECHMATCH_RATE_ANON_BURST", float64(d.AnonBurst))), "无令牌请求的突发上限（TECHMATCH_RATE_ANON_BURST）")
	read := fs.Float64("rate-read", envFloat("TECHMATCH_RATE_READ", d.Read), "每个令牌每秒读请求上限，0 为不限；管理员令牌不限（TECHMATCH_RATE_READ）")
	readBurst := fs.Int("rate-read-burst", int(envFloat("TECHMATCH_RATE_READ_BURST", float64(d.ReadBurst))), "读请求的突发上限（TECHMATCH_RATE_READ_BURST）")
	write := fs.Float64("rate-write", envFloat("TECHMATCH_RATE_WRITE", d.Write), "每个令牌每秒写请求上限，0 为不限（TECHMATCH_RATE_WRITE）")
	writeBurst := fs.Int("rate-write-burst", int(envFloat("TECHMATCH_RATE_WRITE_BURST", float64(d.WriteBurst))), "写请求的突发上限（TECHMATCH_RATE_WRITE_BURST）")
	return func() server.RateLimits {
		return server.RateLimits{Anon: *anon, AnonBurst: *anonBurst, Read: *read, ReadBurst: *readBurst, Write: *write, WriteBurst: *writeBurst}
	}
}
