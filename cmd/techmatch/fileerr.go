package main

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"

	"github.com/techmatch/techmatch/data"
)

// fileError says in Chinese what went wrong with a file, naming its path
// once (an *fs.PathError already carries the path; wrapping it with the
// path again printed it twice).
func fileError(err error) error {
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		return err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return data.Errorf(data.EINVALID, "找不到文件 %s，请检查路径", pe.Path)
	case errors.Is(err, fs.ErrPermission):
		return data.Errorf(data.EINVALID, "没有权限访问文件 %s", pe.Path)
	case errors.Is(err, syscall.EISDIR):
		return data.Errorf(data.EINVALID, "%s 是目录，请给出文件", pe.Path)
	}
	return fmt.Errorf("%s %s：%w", pe.Op, pe.Path, pe.Err)
}
