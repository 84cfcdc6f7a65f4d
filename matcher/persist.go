package matcher

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/techmatch/techmatch/data"
)

// Model persistence. Building the model reads and segments every record
// (about 7–16 s for the demo catalogue on two busy cores); a model saved
// after each build lets a restart load it in well under a second instead.
// The saved model is derived data: it names the store sequence it was
// built at and the analysis it was built with (ModelKey), carries a
// checksum, and is ignored (and rebuilt) when any of them does not fit.

// modelFileVersion changes whenever Model or the encoding below changes;
// files of another version are ignored and the model is rebuilt.
const modelFileVersion = 3 // 2: keywords' analyzer words (kwWords); 3: checksummed frames

var modelMagic = []byte("techmatch-model\n")

// ModelStore keeps the bytes of a saved model. FileModelStore is the usual
// one; cmd wires it to a file in the data directory.
type ModelStore interface {
	// ReadModel opens the saved model; an error wrapping fs.ErrNotExist
	// means there is none.
	ReadModel(ctx context.Context) (io.ReadCloser, error)
	// WriteModel replaces the saved model with what write writes, all or
	// nothing.
	WriteModel(ctx context.Context, write func(io.Writer) error) error
}

// FileModelStore saves the model in one file, replaced atomically.
type FileModelStore struct{ Path string }

// ReadModel implements ModelStore.
func (f FileModelStore) ReadModel(_ context.Context) (io.ReadCloser, error) {
	return os.Open(f.Path)
}

// WriteModel implements ModelStore: it writes a temporary file beside the
// target, syncs it and renames it over the target.
func (f FileModelStore) WriteModel(_ context.Context, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(f.Path), filepath.Base(f.Path)+".tmp*")
	if err != nil {
		return fmt.Errorf("create model file: %w", err)
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<20)
	if err := write(w); err != nil {
		tmp.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("write model file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("sync model file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close model file: %w", err)
	}
	if err := os.Rename(tmp.Name(), f.Path); err != nil {
		return fmt.Errorf("replace model file: %w", err)
	}
	return nil
}

// The encoded form of a Model: exported mirrors of its fields. What can be
// derived cheaply from the rest (vocabularies, sectors, places) is not
// saved.
type modelFile struct {
	Key   string
	Seq   uint64
	Built time.Time
	Took  time.Duration
	Cats  [2]catFile
	Assoc *assocFile
	// Profiles is their number: they follow in chunks of at most
	// profileChunk, each its own gob message (one huge message decodes
	// slowly: gob grows its buffer by copying).
	Profiles int
}

// profileChunk is a variable for the tests.
var profileChunk = 1024

type catFile struct {
	N                          int
	IDF                        map[unit]float32
	Words, Texts               map[string]float32
	MaxIDF, AvgAll, AvgWordLen float64
}

type assocFile struct {
	Words []string
	Links [][]assocLinkFile
}

type assocLinkFile struct {
	To   int32
	NPMI float32
}

type profileFile struct {
	Title, Keys      []unit
	TFs              []uint16
	Words            []string
	WordNs           []int32
	AllChars, NWords int32
	KwUnits          [][]unit
	KwWords          [][]string
	Meta             achMeta
}

// EncodeModel writes mdl, tagged with key (the identity of the analysis
// it was built with), as: magic, version, then the gob stream in
// checksummed frames (frameWriter). Profiles are mirrored and encoded a
// chunk at a time.
func EncodeModel(w io.Writer, mdl *Model, key string) error {
	f := modelFile{Key: key, Seq: mdl.Seq, Built: mdl.Built, Took: mdl.Took, Profiles: len(mdl.profiles)}
	for i, c := range mdl.cats {
		f.Cats[i] = catFile{N: c.n, IDF: c.idf, Words: c.words, Texts: c.texts,
			MaxIDF: c.maxIDFv, AvgAll: c.avgAll, AvgWordLen: c.avgWordLen}
	}
	if a := mdl.assoc; a != nil {
		af := &assocFile{Words: a.words, Links: make([][]assocLinkFile, len(a.links))}
		for i, ls := range a.links {
			out := make([]assocLinkFile, len(ls))
			for j, l := range ls {
				out[j] = assocLinkFile{l.to, l.npmi}
			}
			af.Links[i] = out
		}
		f.Assoc = af
	}
	ids := make([]string, 0, len(mdl.profiles))
	for id := range mdl.profiles {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if _, err := w.Write(modelMagic); err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	var ver [4]byte
	binary.LittleEndian.PutUint32(ver[:], modelFileVersion)
	if _, err := w.Write(ver[:]); err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	fw := &frameWriter{w: w, buf: make([]byte, 0, frameSize)}
	enc := gob.NewEncoder(fw)
	if err := enc.Encode(&f); err != nil {
		return fmt.Errorf("encode model: %w", err)
	}
	chunk := make([]profileFile, 0, profileChunk)
	for i := 0; i < len(ids); i += profileChunk {
		chunk = chunk[:0]
		for _, id := range ids[i:min(i+profileChunk, len(ids))] {
			p := mdl.profiles[id]
			pf := profileFile{Title: p.title, Keys: p.keys, TFs: p.tfs, AllChars: p.allChars, NWords: p.nWords,
				KwUnits: p.kwUnits, KwWords: p.kwWords, Meta: p.meta, Words: make([]string, len(p.words)), WordNs: make([]int32, len(p.words))}
			for i, w := range p.words {
				pf.Words[i], pf.WordNs[i] = w.w, w.n
			}
			chunk = append(chunk, pf)
		}
		if err := enc.Encode(chunk); err != nil {
			return fmt.Errorf("encode model profiles: %w", err)
		}
	}
	if err := fw.Close(); err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	return nil
}

// The gob stream is written in frames (length, CRC-32, bytes; a frame of
// length 0 ends it), so that neither saving nor loading holds the whole
// encoded model in memory (the demo's is 60 MB; one buffer of it cost
// 145 MB at the end of a first start), and damage anywhere is caught.
const (
	frameSize    = 1 << 20
	maxFrameSize = 16 << 20
)

type frameWriter struct {
	w   io.Writer
	buf []byte
}

func (f *frameWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := min(len(p), frameSize-len(f.buf))
		f.buf = append(f.buf, p[:k]...)
		p = p[k:]
		if len(f.buf) == frameSize {
			if err := f.flush(); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

func (f *frameWriter) flush() error {
	var hdr [8]byte
	binary.LittleEndian.PutUint32(hdr[0:], uint32(len(f.buf)))
	binary.LittleEndian.PutUint32(hdr[4:], crc32.ChecksumIEEE(f.buf))
	if _, err := f.w.Write(hdr[:]); err != nil {
		return err
	}
	if _, err := f.w.Write(f.buf); err != nil {
		return err
	}
	f.buf = f.buf[:0]
	return nil
}

// Close writes the last frame and the end mark.
func (f *frameWriter) Close() error {
	if len(f.buf) > 0 {
		if err := f.flush(); err != nil {
			return err
		}
	}
	return f.flush() // the empty frame
}

// frameReader reads the frames of a frameWriter, checking each one. It is
// an io.ByteReader, so gob reads no further than it needs.
type frameReader struct {
	r    io.Reader
	buf  []byte
	cur  []byte
	done bool
}

func (f *frameReader) next() error {
	if f.done {
		return io.EOF
	}
	var hdr [8]byte
	if _, err := io.ReadFull(f.r, hdr[:]); err != nil {
		return fmt.Errorf("read model frame: %w", noEOF(err))
	}
	n := binary.LittleEndian.Uint32(hdr[0:])
	if n == 0 {
		f.done = true
		return io.EOF
	}
	if n > maxFrameSize {
		return errors.New("model file damaged: frame too large")
	}
	if cap(f.buf) < int(n) {
		f.buf = make([]byte, n)
	}
	f.buf = f.buf[:n]
	if _, err := io.ReadFull(f.r, f.buf); err != nil {
		return fmt.Errorf("read model frame: %w", noEOF(err))
	}
	if crc32.ChecksumIEEE(f.buf) != binary.LittleEndian.Uint32(hdr[4:]) {
		return errors.New("model file checksum mismatch")
	}
	f.cur = f.buf
	return nil
}

// noEOF turns the end of the file inside a frame into an error of its own
// (io.EOF would read as the end of the model).
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

func (f *frameReader) Read(p []byte) (int, error) {
	for len(f.cur) == 0 {
		if err := f.next(); err != nil {
			return 0, err
		}
	}
	n := copy(p, f.cur)
	f.cur = f.cur[n:]
	return n, nil
}

func (f *frameReader) ReadByte() (byte, error) {
	for len(f.cur) == 0 {
		if err := f.next(); err != nil {
			return 0, err
		}
	}
	c := f.cur[0]
	f.cur = f.cur[1:]
	return c, nil
}

// errModelMismatch means a saved model is intact but of another version or
// analysis.
var errModelMismatch = errors.New("saved model does not fit")

// DecodeModel reads a model written by EncodeModel with the same key.
func DecodeModel(r io.Reader, key string) (*Model, error) {
	head := make([]byte, len(modelMagic)+4)
	if _, err := io.ReadFull(r, head); err != nil {
		return nil, fmt.Errorf("read model header: %w", err)
	}
	if !bytes.Equal(head[:len(modelMagic)], modelMagic) {
		return nil, errors.New("not a model file")
	}
	if v := binary.LittleEndian.Uint32(head[len(modelMagic):]); v != modelFileVersion {
		return nil, fmt.Errorf("%w: version %d, want %d", errModelMismatch, v, modelFileVersion)
	}
	fr := &frameReader{r: bufio.NewReaderSize(r, 1<<16)}
	var f modelFile
	dec := gob.NewDecoder(fr)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("decode model: %w", err)
	}
	if f.Key != key {
		return nil, fmt.Errorf("%w: built with analysis %q, want %q", errModelMismatch, f.Key, key)
	}
	mdl := &Model{Seq: f.Seq, Built: f.Built, Took: f.Took, profiles: make(map[string]*profile, f.Profiles)}
	for i, c := range f.Cats {
		mdl.cats[i] = catStats{n: c.N, idf: nonNilMap(c.IDF), words: nonNilMap(c.Words), texts: c.Texts,
			maxIDFv: c.MaxIDF, avgAll: c.AvgAll, avgWordLen: c.AvgWordLen}
	}
	if i := kindIndex(data.KindDemand); mdl.cats[i].texts == nil {
		mdl.cats[i].texts = map[string]float32{}
	}
	strs := map[string]string{}
	intern := func(s string) string {
		if v, ok := strs[s]; ok {
			return v
		}
		strs[s] = s
		return s
	}
	if a := f.Assoc; a != nil {
		am := &assocModel{vocab: make(map[string]int32, len(a.Words)), words: a.Words, links: make([][]assocLink, len(a.Links))}
		for i, w := range a.Words {
			am.words[i] = intern(w)
			am.vocab[am.words[i]] = int32(i)
		}
		for i, ls := range a.Links {
			if len(ls) == 0 {
				continue
			}
			out := make([]assocLink, len(ls))
			for j, l := range ls {
				out[j] = assocLink{l.To, l.NPMI}
			}
			am.links[i] = out
		}
		mdl.assoc = am
	}
	for done := 0; done < f.Profiles; {
		var chunk []profileFile // fresh: gob would reuse the inner slices
		if err := dec.Decode(&chunk); err != nil {
			return nil, fmt.Errorf("decode model profiles: %w", err)
		}
		if len(chunk) == 0 {
			return nil, errors.New("decode model profiles: empty chunk")
		}
		mdl.addProfiles(chunk, intern)
		done += len(chunk)
	}
	if _, err := fr.ReadByte(); err != io.EOF {
		return nil, errors.New("model file damaged: no end after the profiles")
	}
	return mdl, nil
}

func (mdl *Model) addProfiles(chunk []profileFile, intern func(string) string) {
	for i := range chunk {
		pf := &chunk[i]
		p := &profile{title: pf.Title, keys: pf.Keys, tfs: pf.TFs, allChars: pf.AllChars, nWords: pf.NWords,
			kwUnits: pf.KwUnits, meta: pf.Meta}
		if pf.KwWords != nil {
			p.kwWords = make([][]string, len(pf.KwWords))
			for j, ws := range pf.KwWords {
				for _, w := range ws {
					p.kwWords[j] = append(p.kwWords[j], intern(w))
				}
			}
		}
		if len(pf.Words) > 0 {
			p.words = make([]wordTF, len(pf.Words))
			for j, w := range pf.Words {
				p.words[j] = wordTF{intern(w), pf.WordNs[j]}
			}
		}
		p.sectors = sectorsOf(p.meta.Field, p.meta.Discipline, p.meta.Industry)
		p.place = placeOf(p.meta.Region)
		mdl.profiles[p.meta.ID] = p
	}
}

func nonNilMap[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return map[K]V{}
	}
	return m
}

// LoadModel returns the model saved in ms if there is one built with the
// analysis key, and nil if there is none or it does not fit (the reason is
// logged). It needs no store or analyzer, so it can run while they open;
// give the result to Matcher.SetModel.
func LoadModel(ctx context.Context, ms ModelStore, key string, log *slog.Logger) *Model {
	if ms == nil {
		return nil
	}
	if log == nil {
		log = slog.Default()
	}
	start := time.Now()
	r, err := ms.ReadModel(ctx)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			log.Warn("read saved matcher model", "err", err)
		}
		return nil
	}
	defer r.Close()
	mdl, err := DecodeModel(bufio.NewReaderSize(r, 1<<20), key)
	if err != nil {
		log.Info("saved matcher model not used; rebuilding", "reason", err)
		return nil
	}
	log.Info("matcher model loaded", "seq", mdl.Seq, "seconds", time.Since(start).Seconds())
	return mdl
}

// loadSaved returns the saved model if there is one that fits; nil
// otherwise.
func (m *Matcher) loadSaved(ctx context.Context) *Model {
	return LoadModel(ctx, m.ModelStore, m.ModelKey, m.logger())
}

// save writes mdl to the ModelStore, if any; failures are logged (the model
// is derived data and the next start rebuilds it).
func (m *Matcher) save(ctx context.Context, mdl *Model) {
	if m.ModelStore == nil {
		return
	}
	err := m.ModelStore.WriteModel(ctx, func(w io.Writer) error { return EncodeModel(w, mdl, m.ModelKey) })
	if err != nil {
		m.logger().Warn("save matcher model", "err", err)
	}
}
