package preflight

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Stdin is the path that means standard input, and the name it gets in
// messages and output.
const (
	Stdin     = "-"
	StdinName = "stdin"
)

// manifestExts are the file endings read from a directory.
var manifestExts = []string{".yaml", ".yml", ".json"}

// Load reads manifests from paths: files, directories (their .yaml, .yml
// and .json files; subdirectories too when recursive), or Stdin.
func Load(paths []string, stdin io.Reader, recursive bool) (*Manifests, error) {
	m := &Manifests{}
	for _, p := range paths {
		if err := m.load(p, stdin, recursive); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *Manifests) load(path string, stdin io.Reader, recursive bool) error {
	if path == Stdin {
		data, err := io.ReadAll(stdin)
		if err != nil {
			return fmt.Errorf("reading standard input: %w", err)
		}
		return Parse(StdinName, data, m)
	}
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("reading manifests: %w", unwrapPath(err))
	}
	if !info.IsDir() {
		return m.loadFile(path)
	}
	files, err := manifestFiles(path, recursive)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("%s: no .yaml, .yml or .json files in the directory", path)
	}
	for _, f := range files {
		if err := m.loadFile(f); err != nil {
			return err
		}
	}
	return nil
}

func (m *Manifests) loadFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading manifests: %w", unwrapPath(err))
	}
	return Parse(path, data, m)
}

// manifestFiles lists a directory's manifest files, sorted.
func manifestFiles(dir string, recursive bool) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && p != dir && (!recursive || strings.HasPrefix(d.Name(), ".")):
			return filepath.SkipDir
		case !d.IsDir() && isManifest(d.Name()):
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading manifests: %w", unwrapPath(err))
	}
	sort.Strings(files)
	return files, nil
}

func isManifest(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return contains(manifestExts, ext) && !strings.HasPrefix(name, ".")
}

// unwrapPath words an *fs.PathError as "path: reason" without the
// operation ("open", "stat").
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}
