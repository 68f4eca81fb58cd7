package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// A run's output folder holds one consistent set of results at all times.
// The run takes the folder's lock (.lock, flock), writes everything into a
// staging folder inside it (.staging-PID), lists every file with its
// SHA-256 in the staging folder's manifest.json, and only then moves the new
// entries in place of the previous run's (manifest.json last). A run that
// is killed leaves the previous results as they were; the next run removes
// what it left, and says so. A run killed in the middle of the final moves
// (milliseconds) leaves a folder without manifest.json and a complete staging
// folder, and the next run finishes the moves first.

// Names in the output folder.
const (
	ManifestName  = "manifest.json" // Written last: the run's files, checksums and settings (Manifest).
	lockName      = ".lock"         // flock'ed by the running run; holds its Owner as JSON.
	stagingPrefix = ".staging-"     // + pid: the running run's files.
	oldPrefix     = ".old-"         // + pid: the previous results while they are replaced.
)

// MinFreeBytes is the free space a run needs in its output folder before it
// starts: a full run writes about 60 MB (models, posterior draws, figures),
// so below this it would fail after training.
const MinFreeBytes = 200 << 20

// resultNames are the top-level entries a run writes. They are replaced as a
// whole by the next run, even when it writes fewer of them (a run without
// calibration leaves no calibration figures behind); other files in the
// folder are left alone.
var resultNames = []string{"results.json", "forward.csv", "models", "samples", "cache", "figures", ManifestName}

// Owner identifies a run: it is written to the lock file while the run
// holds it, and to the manifest.
type Owner struct {
	PID     int    `json:"pid"`
	Host    string `json:"host"`
	Started string `json:"started"` // RFC 3339, UTC.
	Command string `json:"command"`
}

func (o Owner) String() string {
	return fmt.Sprintf("pid %d on %s, started %s: %s", o.PID, o.Host, o.Started, o.Command)
}

func thisRun() Owner {
	host, _ := os.Hostname()
	return Owner{PID: os.Getpid(), Host: host, Started: time.Now().UTC().Format(time.RFC3339), Command: strings.Join(os.Args, " ")}
}

// runFolder is an output folder held by this run.
type runFolder struct {
	dir     string   // The output folder.
	staging string   // Where this run writes.
	lock    *os.File // Open and flock'ed while the run holds the folder.
	owner   Owner
	// found says what the run found and did on opening the folder: a
	// previous run that was interrupted, files it cleaned up.
	found []string
}

// ErrLocked is returned (wrapped) when another run holds the output folder.
var ErrLocked = errors.New("the output folder is in use by another run")

// openRunFolder creates dir if needed, takes its lock, cleans up after runs
// that died, checks that it is writable and has MinFreeBytes free, and makes
// an empty staging folder.
func openRunFolder(dir string) (f *runFolder, err error) {
	if dir == "" {
		return nil, fmt.Errorf("pipeline: no output folder (Config.OutDir is empty)")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("pipeline: output folder: %w", err)
	}
	lf, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("pipeline: output folder %s is not writable: %w", dir, err)
	}
	if err := syscall.Flock(int(lf.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		defer lf.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			other := "an unknown process"
			if o, ok := readOwner(lf); ok {
				other = o.String()
			}
			return nil, fmt.Errorf("pipeline: %s: %w (%s); wait for it to finish or choose another folder", dir, ErrLocked, other)
		}
		return nil, fmt.Errorf("pipeline: locking %s: %w", dir, err)
	}
	f = &runFolder{dir: dir, lock: lf, owner: thisRun()}
	defer func() {
		if err != nil {
			f.close()
			f = nil
		}
	}()
	// The lock file still names a run that held the folder and did not
	// finish: it was killed (the lock goes with its process).
	if o, ok := readOwner(lf); ok {
		f.found = append(f.found, fmt.Sprintf("a previous run in %s did not finish (%s)", dir, o))
	}
	if err := writeOwner(lf, &f.owner); err != nil {
		return nil, fmt.Errorf("pipeline: output folder %s is not writable: %w", dir, err)
	}
	if err := f.recover(); err != nil {
		return nil, err
	}
	if err := checkWritable(dir, MinFreeBytes); err != nil {
		return nil, err
	}
	f.staging = filepath.Join(dir, stagingPrefix+strconv.Itoa(f.owner.PID))
	if err := os.RemoveAll(f.staging); err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	for _, d := range []string{f.staging, filepath.Join(f.staging, "models"), filepath.Join(f.staging, "samples")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("pipeline: %w", err)
		}
	}
	return f, nil
}

func readOwner(lf *os.File) (Owner, bool) {
	var o Owner
	b := make([]byte, 64<<10)
	n, _ := lf.ReadAt(b, 0)
	if n == 0 || json.Unmarshal(b[:n], &o) != nil || o.PID == 0 {
		return o, false
	}
	return o, true
}

// writeOwner replaces the lock file's content with o, or empties it (nil).
func writeOwner(lf *os.File, o *Owner) error {
	if err := lf.Truncate(0); err != nil {
		return err
	}
	if o == nil {
		return lf.Sync()
	}
	b, _ := json.Marshal(o)
	if _, err := lf.WriteAt(b, 0); err != nil {
		return err
	}
	return lf.Sync()
}

// checkWritable creates and removes a file in dir and checks that dir's
// file system has at least need bytes free.
func checkWritable(dir string, need uint64) error {
	p, err := os.CreateTemp(dir, ".probe-*")
	if err == nil {
		_, err = p.WriteString("probe")
		err = errors.Join(err, p.Close(), os.Remove(p.Name()))
	}
	if err != nil {
		return fmt.Errorf("pipeline: output folder %s is not writable: %w", dir, err)
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err == nil {
		if free := st.Bavail * uint64(st.Bsize); free < need {
			return fmt.Errorf("pipeline: output folder %s has %d MiB free, a run needs at least %d MiB", dir, free>>20, need>>20)
		}
	}
	return nil
}

// recover cleans up after runs that died holding the folder: it finishes a
// replacement that was cut short, removes staging folders and the previous
// results a replacement was moving away, and temporary files of atomic
// writes. The caller holds the lock, so no live run owns them.
func (f *runFolder) recover() error {
	entries, err := os.ReadDir(f.dir)
	if err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	_, mErr := os.Stat(filepath.Join(f.dir, ManifestName))
	complete := mErr == nil
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(f.dir, name)
		pid, isStaging := pidSuffix(name, stagingPrefix)
		opid, isOld := pidSuffix(name, oldPrefix)
		switch {
		case isStaging && pid != f.owner.PID && alive(pid):
			// Not a run of this folder (it would hold the lock): a reused pid,
			// or a version without the lock. Leave its files alone.
			f.found = append(f.found, fmt.Sprintf("left %s alone: process %d is alive", name, pid))
		case isStaging && !complete && fileExists(filepath.Join(p, ManifestName)):
			// Killed while replacing the results: finish it.
			if err := install(f.dir, p, filepath.Join(f.dir, oldPrefix+strconv.Itoa(pid))); err != nil {
				return fmt.Errorf("pipeline: finishing the interrupted replacement of the results in %s: %w", f.dir, err)
			}
			complete = true
			f.found = append(f.found, fmt.Sprintf("the run with pid %d was killed while replacing the results; its replacement was finished", pid))
		case isStaging:
			left, _ := os.ReadDir(p)
			if err := os.RemoveAll(p); err != nil {
				return fmt.Errorf("pipeline: %w", err)
			}
			if len(left) == 0 { // Killed after its replacement, before tidying up.
				continue
			}
			f.found = append(f.found, fmt.Sprintf("removed %s, the unfinished files of an interrupted run (pid %d); the results in %s are still the previous run's", name, pid, f.dir))
		case isOld && !alive(opid) || isOld && opid == f.owner.PID:
			if err := os.RemoveAll(p); err != nil {
				return fmt.Errorf("pipeline: %w", err)
			}
		case isTempName(name) || strings.HasPrefix(name, ".probe-"):
			os.Remove(p)
		}
	}
	// Temporary files of atomic writes that died inside the result folders
	// (written by older versions, which wrote in place).
	for _, d := range []string{"models", "samples", "cache", "figures"} {
		sub, _ := os.ReadDir(filepath.Join(f.dir, d))
		for _, e := range sub {
			if isTempName(e.Name()) {
				os.Remove(filepath.Join(f.dir, d, e.Name()))
			}
		}
	}
	if !complete && fileExists(filepath.Join(f.dir, "results.json")) {
		f.found = append(f.found, fmt.Sprintf("the results in %s have no %s (written by an older version, or a run that was killed): they are not checked, and this run replaces them", f.dir, ManifestName))
	}
	return nil
}

// isTempName says whether name is a temporary file of ckpt.WriteAtomic (".NAME.tmp-RANDOM").
func isTempName(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp-")
}

func pidSuffix(name, prefix string) (int, bool) {
	s, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return 0, false
	}
	pid, err := strconv.Atoi(s)
	return pid, err == nil && pid > 0
}

// alive says whether a process with that pid exists on this machine.
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// commit writes the staging folder's manifest and moves its entries in
// place of the previous results.
func (f *runFolder) commit(m *Manifest) error {
	if err := writeManifest(f.staging, m); err != nil {
		return err
	}
	if err := install(f.dir, f.staging, filepath.Join(f.dir, oldPrefix+strconv.Itoa(f.owner.PID))); err != nil {
		return fmt.Errorf("pipeline: replacing the results in %s: %w", f.dir, err)
	}
	return nil
}

// install moves the entries of a complete staging folder (one with its
// manifest) into dir in place of the previous results, which go to old and
// are then removed. It can be run again after being cut short at any point:
// manifest.json leaves dir first and comes back last, entries already moved
// in are no longer in staging, and the previous results' entries the new run
// does not have are removed whatever state they are in.
func install(dir, staging, old string) error {
	m, err := ReadManifest(staging)
	if err != nil {
		return err
	}
	stale := map[string]bool{}
	for _, n := range resultNames {
		stale[n] = true
	}
	if prev, err := ReadManifest(dir); err == nil {
		for _, fe := range prev.Files {
			stale[strings.SplitN(filepath.ToSlash(fe.Path), "/", 2)[0]] = true
		}
	}
	if err := os.MkdirAll(old, 0o755); err != nil {
		return err
	}
	moveOut := func(name string) error {
		p := filepath.Join(dir, name)
		if _, err := os.Lstat(p); err != nil {
			return nil
		}
		q := filepath.Join(old, name)
		if err := os.RemoveAll(q); err != nil {
			return err
		}
		return os.Rename(p, q)
	}
	if err := moveOut(ManifestName); err != nil {
		return err
	}
	entries, err := os.ReadDir(staging)
	if err != nil {
		return err
	}
	newTop := map[string]bool{ManifestName: true}
	for _, fe := range m.Files {
		newTop[strings.SplitN(filepath.ToSlash(fe.Path), "/", 2)[0]] = true
	}
	for _, e := range entries {
		if n := e.Name(); n != ManifestName {
			if err := moveOut(n); err != nil {
				return err
			}
			if err := os.Rename(filepath.Join(staging, n), filepath.Join(dir, n)); err != nil {
				return err
			}
		}
	}
	for n := range stale {
		if !newTop[n] {
			if err := moveOut(n); err != nil {
				return err
			}
		}
	}
	if err := syncDir(dir); err != nil {
		return err
	}
	if err := os.Rename(filepath.Join(staging, ManifestName), filepath.Join(dir, ManifestName)); err != nil {
		return err
	}
	if err := syncDir(dir); err != nil {
		return err
	}
	return errors.Join(os.RemoveAll(old), os.RemoveAll(staging))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// close gives the folder up: it removes the staging folder (empty after a
// commit; partial results after a failure), marks the lock file free and
// releases the lock.
func (f *runFolder) close() {
	if f.staging != "" {
		os.RemoveAll(f.staging)
	}
	writeOwner(f.lock, nil)
	syscall.Flock(int(f.lock.Fd()), syscall.LOCK_UN)
	f.lock.Close()
}
