package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/data/bolt"
)

// runRestore implements `techmatch restore --data DIR BACKUP`: it checks
// the backup, keeps the current store as techmatch.db.before-restore,
// moves a synced copy of the backup into place in one rename and drops the
// derived index (the next start rebuilds it from the restored store).
func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dir := newFlags("restore", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprint(stderr, "请给出一个备份文件\n")
		fs.Usage()
		return errSilent
	}
	src := fs.Arg(0)
	if _, err := os.Stat(src); err != nil {
		return fileError(err)
	}
	counts, err := bolt.Verify(ctx, src)
	if err != nil {
		return err
	}
	dst := storePath(*dir)
	// The store must not be in use: restoring under a running server
	// would lose its writes.
	if _, err := os.Stat(dst); err == nil {
		db, err := openStore(ctx, *dir)
		if data.ErrorCode(err) == data.ECONFLICT {
			return data.Errorf(data.ECONFLICT, "服务正在使用数据目录 %s：请先停止 techmatch serve，再恢复备份", *dir)
		} else if err != nil {
			return err
		}
		db.Close()
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return fileError(err)
	}
	tmp := dst + ".restoring"
	if err := copyFileSync(src, tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	if _, err := os.Stat(dst); err == nil {
		if err := os.Rename(dst, dst+".before-restore"); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("keep the current store: %w", err)
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("move the backup into place: %w", err)
	}
	syncDir(*dir)
	if err := os.RemoveAll(indexPath(*dir)); err != nil {
		return fmt.Errorf("remove the old index: %w", err)
	}
	fmt.Fprintf(stdout, "已从 %s 恢复：%d 项成果、%d 项需求。原数据文件保存在 %s；索引将在下次启动时重建。\n",
		filepath.Base(src), counts.Achievements, counts.Demands, filepath.Base(dst)+".before-restore")
	return nil
}

// copyFileSync copies src to dst and syncs dst to disk.
func copyFileSync(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fileError(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fileError(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy backup: %w", err)
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return fmt.Errorf("sync restored store: %w", err)
	}
	return out.Close()
}

// syncDir makes a rename in dir durable; failures only cost durability.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
