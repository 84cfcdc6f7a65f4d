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
const modelFileVersion = 2 // 2: keywords' analyzer words (kwWords)

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
// it was built with), as: magic, version, payload length, CRC-32 of the
// payload, payload (gob).
func EncodeModel(w io.Writer, mdl *Model, key string) error {
	f := modelFile{Key: key, Seq: mdl.Seq, Built: mdl.Built, Took: mdl.Took, Profiles: len(mdl.profiles)}
	profiles := make([]profileFile, 0, len(mdl.profiles))
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
	for _, id := range ids {
		p := mdl.profiles[id]
		pf := profileFile{Title: p.title, Keys: p.keys, TFs: p.tfs, AllChars: p.allChars, NWords: p.nWords,
			KwUnits: p.kwUnits, KwWords: p.kwWords, Meta: p.meta, Words: make([]string, len(p.words)), WordNs: make([]int32, len(p.words))}
		for i, w := range p.words {
			pf.Words[i], pf.WordNs[i] = w.w, w.n
		}
		profiles = append(profiles, pf)
	}
	var buf bytes.Buffer
	enc := gob.NewEncoder(&buf)
	if err := enc.Encode(&f); err != nil {
		return fmt.Errorf("encode model: %w", err)
	}
	for i := 0; i < len(profiles); i += profileChunk {
		if err := enc.Encode(profiles[i:min(i+profileChunk, len(profiles))]); err != nil {
			return fmt.Errorf("encode model profiles: %w", err)
		}
	}
	var hdr [16]byte
	binary.LittleEndian.PutUint32(hdr[0:], modelFileVersion)
	binary.LittleEndian.PutUint64(hdr[4:], uint64(buf.Len()))
	binary.LittleEndian.PutUint32(hdr[12:], crc32.ChecksumIEEE(buf.Bytes()))
	for _, b := range [][]byte{modelMagic, hdr[:], buf.Bytes()} {
		if _, err := w.Write(b); err != nil {
			return fmt.Errorf("write model: %w", err)
		}
	}
	return nil
}

// errModelMismatch means a saved model is intact but of another version or
// analysis.
var errModelMismatch = errors.New("saved model does not fit")

// DecodeModel reads a model written by EncodeModel with the same key.
func DecodeModel(r io.Reader, key string) (*Model, error) {
	head := make([]byte, len(modelMagic)+16)
	if _, err := io.ReadFull(r, head); err != nil {
		return nil, fmt.Errorf("read model header: %w", err)
	}
	if !bytes.Equal(head[:len(modelMagic)], modelMagic) {
		return nil, errors.New("not a model file")
	}
	hdr := head[len(modelMagic):]
	if v := binary.LittleEndian.Uint32(hdr[0:]); v != modelFileVersion {
		return nil, fmt.Errorf("%w: version %d, want %d", errModelMismatch, v, modelFileVersion)
	}
	n := binary.LittleEndian.Uint64(hdr[4:])
	if n > 1<<32 {
		return nil, errors.New("model file too large")
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(r, payload); err != nil {
		return nil, fmt.Errorf("read model: %w", err)
	}
	if crc32.ChecksumIEEE(payload) != binary.LittleEndian.Uint32(hdr[12:]) {
		return nil, errors.New("model file checksum mismatch")
	}
	var f modelFile
	dec := gob.NewDecoder(bytes.NewReader(payload))
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
