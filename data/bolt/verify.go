package bolt

import (
	"context"
	"fmt"
	"time"

	"github.com/techmatch/techmatch/data"
	bolt "go.etcd.io/bbolt"
)

// Verify opens the store file at path read-only, checks that it is a
// techmatch store with all its buckets, and returns its counts. restore uses
// it before it replaces anything.
func Verify(ctx context.Context, path string) (data.Counts, error) {
	var c data.Counts
	bdb, err := bolt.Open(path, 0o400, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return c, data.Errorf(data.EINVALID, "%s 不是有效的 techmatch 备份文件（%v）", path, err)
	}
	defer bdb.Close()
	err = bdb.View(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketAchievements, bucketDemands, bucketChanges, bucketChangeIDs, bucketTokens, bucketMeta} {
			if tx.Bucket(name) == nil {
				return data.Errorf(data.EINVALID, "%s 不是 techmatch 备份文件：缺少 %s 部分", path, name)
			}
		}
		c.Achievements = int(metaInt(tx, bucketAchievements))
		c.Demands = int(metaInt(tx, bucketDemands))
		c.Seq = metaInt(tx, keySeq)
		return nil
	})
	if err != nil {
		return c, fmt.Errorf("verify backup: %w", err)
	}
	return c, nil
}
