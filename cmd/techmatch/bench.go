package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/techmatch/techmatch/data"
)

// benchQueries are searches a broker would type.
var benchQueries = []string{"玉米", "新能源汽车", "人参", "锂电池", "智能制造", "检测", "生物医药", "秸秆", "大豆",
	"传感器", "新材料", "节能", "机器人", "中药", "污水处理", "冷链", "光伏", "碳纤维", "育种", "软件"}

// benchKinds are the request kinds of the mix, in report order.
var benchKinds = []string{"search", "match", "write"}

// benchMix parses "search=70,match=20,write=10" into weights.
func benchMix(s string) (map[string]int, error) {
	mix := map[string]int{}
	total := 0
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		n, err := strconv.Atoi(v)
		if !ok || err != nil || n < 0 || !slices.Contains(benchKinds, k) {
			return nil, data.Errorf(data.EINVALID, "--mix %q 无法识别：应如 search=70,match=20,write=10", s)
		}
		mix[k] = n
		total += n
	}
	if total == 0 {
		return nil, data.Errorf(data.EINVALID, "--mix 的权重之和不能为 0")
	}
	return mix, nil
}

type benchResult struct {
	lat    []time.Duration
	errors map[string]int // status or error class → count
}

// runBench implements `techmatch bench`: a load generator bounded in time
// that talks only to --addr.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, _ := newFlags("bench", stderr)
	addr := fs.String("addr", "http://127.0.0.1:8080", "服务地址（只向这个地址发请求）")
	mixFlag := fs.String("mix", "search=70,match=20,write=10", "请求比例")
	duration := fs.Duration("duration", 60*time.Second, "运行时长（最长 1 小时）")
	conc := fs.Int("concurrency", 4, "并发客户端数")
	tokFlag := fs.String("token", os.Getenv("TECHMATCH_TOKEN"), "写请求所用令牌（建议 admin 令牌，不受限流；环境变量 TECHMATCH_TOKEN）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	mix, err := benchMix(*mixFlag)
	if err != nil {
		return err
	}
	if *duration <= 0 || *duration > time.Hour || *conc < 1 || *conc > 256 {
		return data.Errorf(data.EINVALID, "--duration 应在 0 到 1h 之间，--concurrency 应在 1 到 256 之间")
	}
	if mix["write"] > 0 && *tokFlag == "" {
		return data.Errorf(data.EINVALID, "写请求需要令牌：--token（或环境变量 TECHMATCH_TOKEN），或在 --mix 中去掉 write")
	}
	base, err := url.Parse(strings.TrimRight(*addr, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return data.Errorf(data.EINVALID, "--addr %q 应为 http://主机:端口", *addr)
	}
	cl := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *conc}}
	b := &bencher{base: base.String(), cl: cl, token: *tokFlag}
	if err := b.sampleIDs(ctx); err != nil {
		return err
	}
	if mix["match"] > 0 && len(b.demandIDs) == 0 {
		return data.Errorf(data.EINVALID, "服务中没有技术需求，无法测匹配：请在 --mix 中去掉 match")
	}
	var weights []string
	for _, k := range benchKinds {
		for range mix[k] {
			weights = append(weights, k)
		}
	}

	runCtx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()
	results := make([]map[string]*benchResult, *conc)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range *conc {
		res := map[string]*benchResult{}
		for _, k := range benchKinds {
			res[k] = &benchResult{errors: map[string]int{}}
		}
		results[w] = res
		rng := rand.New(rand.NewPCG(uint64(start.UnixNano()), uint64(w)))
		wg.Go(func() {
			for n := 0; runCtx.Err() == nil; n++ {
				kind := weights[rng.IntN(len(weights))]
				t0 := time.Now()
				status, err := b.one(runCtx, kind, w, n, rng)
				el := time.Since(t0)
				if runCtx.Err() != nil {
					return // cut off by the end of the run: not counted
				}
				r := res[kind]
				switch {
				case err != nil:
					r.errors["网络错误"]++
				case status >= 300:
					r.errors[strconv.Itoa(status)]++
				default:
					r.lat = append(r.lat, el)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.report(stdout, results, elapsed, *conc, *mixFlag)
	if rss := b.serverRSS(ctx); rss > 0 {
		fmt.Fprintf(stdout, "服务进程常驻内存（RSS，来自 /metrics）：%.0f MB\n", rss/(1<<20))
	}
	return nil
}

type bencher struct {
	base      string
	cl        *http.Client
	token     string
	demandIDs []string
}

// sampleIDs lists up to 2,000 demand ids to match.
func (b *bencher) sampleIDs(ctx context.Context) error {
	for page := 1; page <= 20; page++ {
		var p struct {
			Items []struct{ ID string }
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/api/v1/demands?page=%d&size=100", b.base, page), nil)
		resp, err := b.cl.Do(req)
		if err != nil {
			return fmt.Errorf("无法连接 %s：%w", b.base, err)
		}
		err = json.NewDecoder(resp.Body).Decode(&p)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			return fmt.Errorf("list demands at %s: status %d: %v", b.base, resp.StatusCode, err)
		}
		for _, it := range p.Items {
			b.demandIDs = append(b.demandIDs, it.ID)
		}
		if len(p.Items) < 100 {
			break
		}
	}
	return nil
}

// one sends one request of kind and returns its status.
func (b *bencher) one(ctx context.Context, kind string, worker, n int, rng *rand.Rand) (int, error) {
	var req *http.Request
	switch kind {
	case "search":
		q := benchQueries[rng.IntN(len(benchQueries))]
		cat := "achievements"
		if rng.IntN(3) == 0 {
			cat = "demands"
		}
		req, _ = http.NewRequestWithContext(ctx, http.MethodGet, b.base+"/api/v1/"+cat+"?q="+url.QueryEscape(q), nil)
	case "match":
		id := b.demandIDs[rng.IntN(len(b.demandIDs))]
		req, _ = http.NewRequestWithContext(ctx, http.MethodGet, b.base+"/api/v1/demands/"+url.PathEscape(id)+"/matches", nil)
	case "write":
		// Upserts over a bounded set of ids per client: a long run does
		// not grow the catalogue without end.
		id := fmt.Sprintf("bench-%d-%d", worker, n%50)
		q := benchQueries[rng.IntN(len(benchQueries))]
		body := fmt.Sprintf(`{"title":"压测需求：%s技术攻关 %d","description":"由 techmatch bench 写入的测试需求，关键词 %s。","field":"压测"}`, q, n, q)
		req, _ = http.NewRequestWithContext(ctx, http.MethodPut, b.base+"/api/v1/demands/"+id, strings.NewReader(body))
	}
	if b.token != "" {
		req.Header.Set("Authorization", "Bearer "+b.token)
	}
	resp, err := b.cl.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q * float64(len(sorted)-1))
	return sorted[i]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

func (b *bencher) report(w io.Writer, results []map[string]*benchResult, elapsed time.Duration, conc int, mix string) {
	fmt.Fprintf(w, "techmatch bench：%s，%d 个并发客户端，比例 %s，用时 %.1f 秒\n", b.base, conc, mix, elapsed.Seconds())
	fmt.Fprintf(w, "%-8s %8s %9s %8s %8s %8s %8s  %s\n", "类型", "成功", "每秒", "p50毫秒", "p99毫秒", "p999毫秒", "错误", "错误明细")
	allOK, allErr := 0, 0
	for _, k := range benchKinds {
		var lat []time.Duration
		errs := map[string]int{}
		for _, r := range results {
			lat = append(lat, r[k].lat...)
			for e, n := range r[k].errors {
				errs[e] += n
			}
		}
		nerr := 0
		var detail []string
		for e, n := range errs {
			nerr += n
			detail = append(detail, fmt.Sprintf("%s×%d", e, n))
		}
		slices.Sort(detail)
		if len(lat) == 0 && nerr == 0 {
			continue
		}
		slices.Sort(lat)
		allOK += len(lat)
		allErr += nerr
		fmt.Fprintf(w, "%-8s %8d %9.1f %8s %8s %8s %8d  %s\n", k, len(lat), float64(len(lat))/elapsed.Seconds(),
			ms(quantile(lat, .5)), ms(quantile(lat, .99)), ms(quantile(lat, .999)), nerr, strings.Join(detail, " "))
	}
	fmt.Fprintf(w, "合计：成功 %d 次（每秒 %.1f），错误 %d 次\n", allOK, float64(allOK)/elapsed.Seconds(), allErr)
}

// serverRSS reads process_resident_memory_bytes from the server's /metrics
// (0 when it is not there).
func (b *bencher) serverRSS(ctx context.Context) float64 {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, b.base+"/metrics", nil)
	resp, err := b.cl.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "process_resident_memory_bytes "); ok {
			f, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return f
		}
	}
	return 0
}
