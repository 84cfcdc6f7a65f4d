package bolt

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/techmatch/techmatch/data"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

var (
	bucketAchievements = []byte("achievements")
	bucketDemands      = []byte("demands")
	bucketChanges      = []byte("changes")
	bucketChangeIDs    = []byte("changeids")
	bucketTokens       = []byte("tokens")
	bucketMeta         = []byte("meta")
	bucketEvents       = []byte("events")

	keySeq = []byte("seq")
)

// Ensure DB implements data.Store.
var _ data.Store = (*DB)(nil)

// DB is the bbolt-backed store.
type DB struct {
	db   *bolt.DB
	path string
	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// Open opens or creates the store file at path, creating parent directories.
func Open(ctx context.Context, path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, data.Errorf(data.ECONFLICT, "数据文件 %s 正被另一个 techmatch 进程使用，请先停止该进程", path)
	} else if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	db := &DB{db: bdb, path: path, Now: time.Now}
	err = bdb.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketAchievements, bucketDemands, bucketChanges, bucketChangeIDs, bucketTokens, bucketMeta, bucketEvents} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		return nil
	})
	if err != nil {
		bdb.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the store file.
func (db *DB) Close() error {
	if db.db == nil {
		return nil
	}
	return db.db.Close()
}

// Path returns the store file's path.
func (db *DB) Path() string { return db.path }

// Backup writes a consistent copy of the store to w while others keep
// reading and writing, and returns the number of bytes written.
func (db *DB) Backup(ctx context.Context, w io.Writer) (int64, error) {
	var n int64
	err := db.db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("backup: %w", err)
	}
	return n, nil
}

func bucketOf(kind data.Kind) []byte {
	if kind == data.KindDemand {
		return bucketDemands
	}
	return bucketAchievements
}

func itob(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func metaInt(tx *bolt.Tx, key []byte) uint64 {
	v := tx.Bucket(bucketMeta).Get(key)
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

func setMetaInt(tx *bolt.Tx, key []byte, v uint64) error {
	return tx.Bucket(bucketMeta).Put(key, itob(v))
}

func addMetaInt(tx *bolt.Tx, key []byte, delta int) error {
	return setMetaInt(tx, key, uint64(int64(metaInt(tx, key))+int64(delta)))
}

// logChange appends a change for kind/id, dropping the record's older entry.
func logChange(tx *bolt.Tx, kind data.Kind, id string, op data.Op) error {
	seq := metaInt(tx, keySeq) + 1
	if err := setMetaInt(tx, keySeq, seq); err != nil {
		return err
	}
	ids := tx.Bucket(bucketChangeIDs)
	changes := tx.Bucket(bucketChanges)
	key := []byte(string(kind) + "/" + id)
	if old := ids.Get(key); old != nil {
		if err := changes.Delete(old); err != nil {
			return err
		}
	}
	buf, err := json.Marshal(data.Change{Seq: seq, Kind: kind, ID: id, Op: op})
	if err != nil {
		return err
	}
	if err := changes.Put(itob(seq), buf); err != nil {
		return err
	}
	return ids.Put(key, itob(seq))
}

// Counts returns the catalogue sizes and the latest sequence.
func (db *DB) Counts(ctx context.Context) (data.Counts, error) {
	var c data.Counts
	err := db.db.View(func(tx *bolt.Tx) error {
		c.Achievements = int(metaInt(tx, bucketAchievements))
		c.Demands = int(metaInt(tx, bucketDemands))
		c.Seq = metaInt(tx, keySeq)
		return nil
	})
	return c, err
}

// ChangesSince calls fn for each record's latest change above seq, in order.
// fn runs inside a read transaction: it must not write to the store.
func (db *DB) ChangesSince(ctx context.Context, seq uint64, fn func(data.Change) error) error {
	return db.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketChanges).Cursor()
		for k, v := c.Seek(itob(seq + 1)); k != nil; k, v = c.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			var ch data.Change
			if err := json.Unmarshal(v, &ch); err != nil {
				return fmt.Errorf("decode change %d: %w", binary.BigEndian.Uint64(k), err)
			}
			if err := fn(ch); err != nil {
				return err
			}
		}
		return nil
	})
}

// CreateToken makes a new API token and stores only its hash.
func (db *DB) CreateToken(ctx context.Context, spec data.TokenSpec) (string, *data.Token, error) {
	secret, tok, err := data.NewToken(spec, db.Now().UTC())
	if err != nil {
		return "", nil, err
	}
	buf, err := json.Marshal(tok)
	if err != nil {
		return "", nil, err
	}
	err = db.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTokens).Put([]byte(hashSecret(secret)), buf)
	})
	if err != nil {
		return "", nil, fmt.Errorf("store token: %w", err)
	}
	return secret, tok, nil
}

// TokenBySecret returns the token with that secret, or EUNAUTHORIZED.
func (db *DB) TokenBySecret(ctx context.Context, secret string) (*data.Token, error) {
	var tok *data.Token
	err := db.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketTokens).Get([]byte(hashSecret(secret)))
		if v == nil {
			return data.Errorf(data.EUNAUTHORIZED, "令牌无效或已被撤销，请向管理员申请新的令牌")
		}
		tok = &data.Token{}
		if err := json.Unmarshal(v, tok); err != nil {
			return fmt.Errorf("decode token: %w", err)
		}
		return tok.Usable(db.Now())
	})
	if err != nil {
		return nil, err
	}
	return tok, nil
}

// Size is the size of the store's data in bytes.
func (db *DB) Size() int64 {
	var n int64
	db.db.View(func(tx *bolt.Tx) error {
		n = tx.Size()
		return nil
	})
	return n
}

func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
