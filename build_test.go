package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Ensure that scripts/build.sh stamps the version: it builds this
// machine's target, whose `daftar version` prints it, and lists the file
// with its right checksum in SHA256SUMS. (One target only: the cross
// builds cost a minute and prove nothing more about the stamp.)
func TestBuildScript_StampsTheVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program")
	}
	sh, err := exec.LookPath("sh")
	if err != nil || runtime.GOOS == "windows" {
		t.Skip("no POSIX sh")
	}
	dist := t.TempDir()
	target := runtime.GOOS + "/" + runtime.GOARCH
	cmd := exec.Command(sh, "scripts/build.sh", target)
	cmd.Env = append(os.Environ(), "VERSION=v9.8.7-test", "DIST="+dist)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build.sh: %v\n%s", err, out)
	}
	name := "daftar-v9.8.7-test-" + runtime.GOOS + "-" + runtime.GOARCH
	out, err := exec.Command(filepath.Join(dist, name), "version").CombinedOutput()
	if err != nil {
		t.Fatalf("daftar version: %v\n%s", err, out)
	}
	if !strings.HasPrefix(string(out), "daftar v9.8.7-test go") {
		t.Errorf("daftar version printed %q", out)
	}
	sums, err := os.ReadFile(filepath.Join(dist, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile(filepath.Join(dist, name))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(bin)
	if want := hex.EncodeToString(sum[:]) + "  " + name + "\n"; string(sums) != want {
		t.Errorf("SHA256SUMS = %q, want %q", sums, want)
	}
}

// Ensure that scripts/build.sh marks a build from a modified checkout
// "+dirty", as `daftar version` and Go's own stamp do: in a scratch git
// repository holding only the script, the name it announces before
// building (the build itself fails there: no Go module) carries the mark.
func TestBuildScript_DirtyMark(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil || runtime.GOOS == "windows" {
		t.Skip("no POSIX sh")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	script, err := os.ReadFile(filepath.Join("scripts", "build.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "scripts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "scripts", "build.sh"), script, 0o755); err != nil {
		t.Fatal(err)
	}
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	git("add", ".")
	git("commit", "-q", "-m", "scratch")
	git("tag", "v1.0.0")
	if err := os.WriteFile(filepath.Join(dir, "scripts", "build.sh"), append(script, "\n# modified\n"...), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(sh, "scripts/build.sh", "linux/amd64")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "DIST="+t.TempDir(), "VERSION=")
	out, _ := cmd.CombinedOutput()
	if !strings.Contains(string(out), "build daftar-v1.0.0+dirty-linux-amd64") {
		t.Errorf("build.sh in a modified checkout announced:\n%s\nwant daftar-v1.0.0+dirty-linux-amd64", out)
	}
}
