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
	return data.Errorf(data.EINVALID, "%s", personMessage(err))
}

// personMessage is what a person reads of a command's error: the Chinese
// message of a data.Error, else for an error with a file (anywhere in
// the chain) a Chinese sentence naming its path once, without Go's
// wording; anything else as it is.
func personMessage(err error) string {
	var de *data.Error
	if errors.As(err, &de) {
		return data.ErrorMessageOrText(de)
	}
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		return err.Error()
	}
	what := "文件或目录"
	switch pe.Op {
	case "mkdir", "mkdirall":
		what = "目录"
	case "open", "read", "write", "create", "rename", "remove", "stat":
		what = "文件"
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Sprintf("找不到%s %s（它或它所在的目录不存在），请检查路径", what, pe.Path)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Sprintf("没有权限访问%s %s", what, pe.Path)
	case errors.Is(err, syscall.ENOTDIR):
		return fmt.Sprintf("%s 或它的上级不是目录（是一个文件），请换一个路径", pe.Path)
	case errors.Is(err, syscall.EISDIR):
		return fmt.Sprintf("%s 是目录，请给出文件", pe.Path)
	case errors.Is(err, syscall.ENOSPC):
		return fmt.Sprintf("磁盘空间不足，无法写入 %s", pe.Path)
	case errors.Is(err, syscall.EROFS):
		return fmt.Sprintf("%s 在只读的文件系统上，无法写入", pe.Path)
	case errors.Is(err, fs.ErrExist):
		return fmt.Sprintf("%s 已存在", pe.Path)
	}
	return fmt.Sprintf("%s %s 出错（系统错误：%v）", what, pe.Path, pe.Err)
}
