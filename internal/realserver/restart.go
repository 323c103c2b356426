package realserver

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
)

// launchSpec is how a server's process was started.
type launchSpec struct {
	argv    []string
	env     []string
	mountNS bool
	certs   certFiles
}

// Restart stops the server's process and starts it again with the same
// configuration, on the same address, and waits for its greeting. A
// server started with Options.Cert CertOwn presents a new certificate
// afterwards (Server.CertPool and CertFile follow), as a server whose
// certificate was replaced.
func (s *Server) Restart(ctx context.Context) error {
	if s.stopped || s.proc == nil {
		return errors.New("realserver: restart of a stopped server")
	}
	if err := s.proc.stop(); err != nil {
		return err
	}
	if s.Options.Cert == CertOwn {
		cert, err := serverCertificate(CertOwn)
		if err != nil {
			return err
		}
		if _, err := cert.write(s.Dir); err != nil {
			return err
		}
		s.CertPool = cert.pool
	}
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	l := s.launch
	var err error
	if s.proc, err = startProcess(s.Dir, filepath.Join(s.Dir, string(s.Kind)+".out"), l.env, l.mountNS, l.argv...); err != nil {
		return err
	}
	if err := waitReady(ctx, s); err != nil {
		return fmt.Errorf("%w\n%s", err, s.LogTail(20))
	}
	return nil
}
