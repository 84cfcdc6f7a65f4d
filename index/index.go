// Package index keeps techmatch's two full-text indexes (achievements and
// demands) in step with the store and searches them. It is the only package
// that imports bleve; Chinese segmentation lives in index/zhseg (gse).
//
// Analysis. Word fields are cut by the gse analyzer registered with bleve
// in init (AnalyzerType): at index time the precise cut plus, at their
// parent's position, the dictionary's two- and three-character words inside
// longer words (农业 finds 中国农业发展银行), at query time the precise cut;
// full-width folded to half-width, lower-cased by a token filter (gse's own
// lower-casing is off: it shifts offsets), stop words dropped, numbers,
// model numbers and formulas kept whole (LiFePO4, GB/T 2260, 5G, Φ20mm).
// Beside each record's text a character-bigram sub-field gives substring
// recall however a word was cut. The domain dictionary
// (zhseg/dict/domain.txt) adds technology terms and the province's
// institutions; Rebuild can add words harvested from the catalogues'
// keywords. Synonyms (dict/synonyms.txt) are expanded at query time.
//
// Documents. Each record is indexed as: title (word field, a small boost),
// text (title, abstract or description, keywords, institution or enterprise
// name, inventors' names; word and bigram fields), exact fields for the
// filters and facets, amounts and the publication date as numbers. Record
// text is not stored in bleve and no term vectors are kept: hits carry ids,
// and highlights are cut from the store's copy with the analyzer's byte
// offsets. Contact data is never indexed.
//
// Keeping in step. The indexes are derived data: each records, in the same
// bleve batch as the documents, the store sequence it has applied. Sync
// catches them up from the store's change log (after every write, at
// start-up, after a crash: a kill -9 loses nothing Sync will not re-apply),
// and Rebuild makes them anew beside the old ones and swaps them in.
package index

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/index/zhseg"
)

// formatVersion changes whenever documents or analysis change in a way that
// needs the indexes rebuilt; Open then starts them afresh and Sync refills
// them from the store.
const formatVersion = 2 // 2: bigram positions, demand deadlines

// Keys of bleve's internal storage.
var (
	keySeq    = []byte("techmatch:seq")
	keyFormat = []byte("techmatch:format")
)

// termsFile holds the extra dictionary words the indexes were built with.
const termsFile = "terms.txt"

// Options configure an Index.
type Options struct {
	// Analyzer is "gse" (the default), or "cjk" or "standard" (bleve's own,
	// for comparisons).
	Analyzer string
	Logger   *slog.Logger
	// BatchSize is the number of changes applied per bleve batch (1000).
	// Bigger batches build fewer segments and merge less, at the cost of
	// memory: `techmatch reindex` of the demo catalogue (46,000 records,
	// 2 cores, load average 9-13) took 54.7 s of user CPU and peaked at
	// 2.19 GB resident with 4000, 61.0 s and 1.19 GB with 1000.
	BatchSize int
	// Workers is the number of goroutines preparing batches (GOMAXPROCS).
	Workers int
	// HarvestKeywords makes Rebuild add the catalogues' keywords that the
	// dictionary lacks (Han only, seen at least twice) as extra words of
	// the segmenter; without it Rebuild keeps the extra words the indexes
	// have. The words are saved beside the indexes (terms.txt) and loaded
	// by Open, so that queries are cut as the records were.
	HarvestKeywords bool
	// Progress, if set, is told how far a Sync has come (changes applied
	// of the changes to apply), batch by batch.
	Progress func(done, total int)
}

// Index is the pair of full-text indexes over the store's catalogues.
type Index struct {
	dir   string
	store data.Store
	opt   Options
	log   *slog.Logger

	syncMu sync.Mutex // serializes Sync and Rebuild

	mu     sync.RWMutex // guards the fields below (Rebuild swaps them)
	idx    [2]bleve.Index
	an     [2]*analyzers
	extra  []string
	closed bool

	seq   atomic.Uint64
	lists listCache

	facets [2]facetColumns // by kind (kindIndex)
	// bleveFacets counts facets with bleve's facet builder instead of the
	// columns: tests compare the two.
	bleveFacets bool
	// deadlineInFilter leaves demands past their deadline out with a
	// filter, as before the must-not clause: tests compare the two.
	deadlineInFilter bool
}

var kinds = [2]data.Kind{data.KindAchievement, data.KindDemand}

// kindPos is kindIndex of a kind already checked.
func kindPos(k data.Kind) int {
	i, _ := kindIndex(k)
	return i
}

func kindIndex(k data.Kind) (int, error) {
	switch k {
	case data.KindAchievement:
		return 0, nil
	case data.KindDemand:
		return 1, nil
	}
	return 0, data.Errorf(data.EINVALID, "未知的目录类型 %q：应为 achievements（科技成果）或 demands（技术需求）", k)
}

// Open opens the indexes in dir (dir/achievements.bleve, dir/demands.bleve),
// creating them if missing. Indexes of another format or analyzer are
// started afresh; call Sync to fill them from the store.
func Open(ctx context.Context, dir string, store data.Store, opt Options) (*Index, error) {
	if opt.Analyzer == "" {
		opt.Analyzer = AnalyzerGse
	}
	switch opt.Analyzer {
	case AnalyzerGse, AnalyzerCJK, AnalyzerStandard:
	default:
		return nil, data.Errorf(data.EINVALID, "未知的分析器 %q：应为 gse、cjk 或 standard", opt.Analyzer)
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 1000
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create index directory: %w", err)
	}
	ix := &Index{dir: dir, store: store, opt: opt, log: opt.Logger}

	var extra []string
	if opt.Analyzer == AnalyzerGse {
		var err error
		if extra, err = readTerms(filepath.Join(dir, termsFile)); err != nil {
			return nil, err
		}
	}
	_, id, err := ix.segmenter(extra)
	if err != nil {
		return nil, err
	}
	ix.extra = extra
	for i, k := range kinds {
		path := ix.path(k)
		os.RemoveAll(path + ".new") // a Rebuild that did not finish
		idx, err := ix.openOrCreate(ctx, path, id)
		if err != nil {
			ix.closeAll()
			return nil, fmt.Errorf("open %s index: %w", k, err)
		}
		ix.idx[i] = idx
		if ix.an[i], err = indexAnalyzers(idx); err != nil {
			ix.closeAll()
			return nil, err
		}
	}
	ix.seq.Store(ix.appliedSeq())
	ix.log.Info("index opened", "dir", dir, "analyzer", opt.Analyzer, "seq", ix.Seq(), "extra_words", len(extra))
	return ix, nil
}

func (ix *Index) path(k data.Kind) string { return filepath.Join(ix.dir, string(k)+".bleve") }

func (ix *Index) segmenter(extra []string) (*zhseg.Segmenter, string, error) {
	if ix.opt.Analyzer != AnalyzerGse {
		return nil, "", nil
	}
	seg, id, err := loadSegmenter(extra)
	if err != nil {
		return nil, "", fmt.Errorf("load segmenter: %w", err)
	}
	return seg, id, nil
}

func (ix *Index) format(dict string) string {
	return fmt.Sprintf("v%d %s %s", formatVersion, ix.opt.Analyzer, dict)
}

// openOrCreate opens the index at path if it exists with this format, and
// otherwise creates it empty.
func (ix *Index) openOrCreate(ctx context.Context, path, dict string) (bleve.Index, error) {
	if _, err := os.Stat(path); err == nil {
		idx, err := bleve.OpenUsing(path, scorchConfig())
		if err == nil {
			f, ferr := idx.GetInternal(keyFormat)
			if ferr == nil && string(f) == ix.format(dict) {
				return idx, nil
			}
			idx.Close()
			ix.log.Warn("index format changed: starting it afresh", "path", path, "have", string(f), "want", ix.format(dict))
		} else {
			ix.log.Warn("index unreadable: starting it afresh", "path", path, "err", err)
		}
		if err := os.RemoveAll(path); err != nil {
			return nil, err
		}
	}
	return ix.create(path, dict)
}

func (ix *Index) create(path, dict string) (bleve.Index, error) {
	im, err := newMapping(ix.opt.Analyzer, dict)
	if err != nil {
		return nil, err
	}
	idx, err := bleve.NewUsing(path, im, scorch.Name, scorch.Name, scorchConfig())
	if err != nil {
		return nil, err
	}
	if err := idx.SetInternal(keyFormat, []byte(ix.format(dict))); err != nil {
		idx.Close()
		return nil, err
	}
	return idx, nil
}

// scorchConfig is the configuration both indexes are opened with. Batches
// are unsafe: bleve returns once a batch is searchable, before it is on
// disk. That costs nothing in safety here, since every batch records the
// store sequence it reaches inside the same snapshot: a crash loses only
// batches whose sequence was lost with them, and Sync re-applies those.
func scorchConfig() map[string]interface{} {
	return map[string]interface{}{"unsafe_batch": true}
}

// flush records seq in idx and waits until it, and everything before it, is
// on disk.
func flush(ctx context.Context, idx bleve.Index, seq uint64) error {
	done := make(chan error, 1)
	b := idx.NewBatch()
	b.SetInternal(keySeq, seqBytes(seq))
	b.SetPersistedCallback(func(err error) { done <- err })
	if err := idx.Batch(b); err != nil {
		return err
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(time.Minute):
		return errors.New("timed out waiting for the index to reach the disk")
	}
}

func indexAnalyzers(idx bleve.Index) (*analyzers, error) {
	im, ok := idx.Mapping().(*mapping.IndexMappingImpl)
	if !ok {
		return nil, errors.New("unexpected index mapping type")
	}
	return mappingAnalyzers(im)
}

// appliedSeq is the lower of the sequences both indexes have applied.
func (ix *Index) appliedSeq() uint64 {
	var min uint64
	for i, idx := range ix.idx {
		v, err := idx.GetInternal(keySeq)
		var s uint64
		if err == nil && len(v) == 8 {
			s = binary.BigEndian.Uint64(v)
		}
		if i == 0 || s < min {
			min = s
		}
	}
	return min
}

func seqBytes(s uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], s)
	return b[:]
}

// Close closes both indexes.
func (ix *Index) Close() error {
	ix.syncMu.Lock()
	defer ix.syncMu.Unlock()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return nil
	}
	ix.closed = true
	var errs []error
	for i, idx := range ix.idx {
		if idx == nil {
			continue
		}
		// Batches are unsafe: put the last ones on disk before closing.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if err := flush(ctx, idx, ix.seq.Load()); err != nil {
			errs = append(errs, fmt.Errorf("flush %s index: %w", kinds[i], err))
		}
		cancel()
	}
	return errors.Join(append(errs, ix.closeAll())...)
}

func (ix *Index) closeAll() error {
	var errs []error
	for i, idx := range ix.idx {
		if idx != nil {
			if err := idx.Close(); err != nil {
				errs = append(errs, fmt.Errorf("close %s index: %w", kinds[i], err))
			}
			ix.idx[i] = nil
		}
	}
	return errors.Join(errs...)
}

// Seq is the last store sequence applied to both indexes.
func (ix *Index) Seq() uint64 { return ix.seq.Load() }

// Dir is the directory of the indexes.
func (ix *Index) Dir() string { return ix.dir }

// reader returns the index of a catalogue under the read lock; call the
// returned function when done.
func (ix *Index) reader(k data.Kind) (bleve.Index, *analyzers, func(), error) {
	i, err := kindIndex(k)
	if err != nil {
		return nil, nil, nil, err
	}
	ix.mu.RLock()
	if ix.closed {
		ix.mu.RUnlock()
		return nil, nil, nil, errors.New("index closed")
	}
	return ix.idx[i], ix.an[i], ix.mu.RUnlock, nil
}

// Count returns the number of records in a catalogue's index.
func (ix *Index) Count(kind data.Kind) (uint64, error) {
	idx, _, done, err := ix.reader(kind)
	if err != nil {
		return 0, err
	}
	defer done()
	return idx.DocCount()
}

// Terms returns the query-time analysis of text (the precise cut,
// lower-cased, without stop words) as the word fields see it. It implements
// data.Analyzer.
func (ix *Index) Terms(text string) []string {
	_, an, done, err := ix.reader(data.KindAchievement)
	if err != nil {
		return nil
	}
	defer done()
	ts := an.search.Analyze([]byte(text))
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t.Term)
	}
	return out
}

// DocFreq returns how many records of a catalogue have term in their text,
// and the catalogue's size. It implements data.Analyzer.
func (ix *Index) DocFreq(kind data.Kind, term string) (df, n int) {
	idx, _, done, err := ix.reader(kind)
	if err != nil {
		return 0, 0
	}
	defer done()
	adv, err := idx.Advanced()
	if err != nil {
		return 0, 0
	}
	r, err := adv.Reader()
	if err != nil {
		return 0, 0
	}
	defer r.Close()
	count, err := r.DocCount()
	if err != nil {
		return 0, 0
	}
	tfr, err := r.TermFieldReader(context.Background(), []byte(term), fieldText, false, false, false)
	if err != nil {
		return 0, int(count)
	}
	defer tfr.Close()
	return int(tfr.Count()), int(count)
}

// Extra returns the extra dictionary words the indexes were built with.
func (ix *Index) Extra() []string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return append([]string(nil), ix.extra...)
}

func readTerms(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("read extra words: %w", err)
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	sort.Strings(out)
	return out, nil
}

func writeTerms(path string, terms []string) error {
	if len(terms) == 0 {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		return nil
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(strings.Join(terms, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

var _ data.Analyzer = (*Index)(nil)
var _ data.Searcher = (*Index)(nil)

// AnalysisID names how the indexes cut text: the index format, the
// analyzer and the set of extra dictionary words. Anything derived from
// the analyzer's words (the matcher's saved model) is valid only with the
// same id; Rebuild may change it.
func (ix *Index) AnalysisID() string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.format(dictID(ix.extra))
}

// AnalysisIDAt is the AnalysisID the indexes in dir will have once opened
// with opt (before Open, which loads the dictionary, has run).
func AnalysisIDAt(dir string, opt Options) (string, error) {
	if opt.Analyzer == "" {
		opt.Analyzer = AnalyzerGse
	}
	var extra []string
	if opt.Analyzer == AnalyzerGse {
		var err error
		if extra, err = readTerms(filepath.Join(dir, termsFile)); err != nil {
			return "", err
		}
	}
	return (&Index{opt: opt}).format(dictID(extra)), nil
}
