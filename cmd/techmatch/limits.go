package main

import (
	"flag"
	"os"
	"strconv"

	"github.com/techmatch/techmatch/server"
)

// envFloat is the value of an environment variable, or def when unset or
// not a number.
func envFloat(name string, def float64) float64 {
	if v, err := strconv.ParseFloat(os.Getenv(name), 64); err == nil {
		return v
	}
	return def
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
