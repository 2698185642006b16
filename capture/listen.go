package capture

import (
	"errors"
	"fmt"
	"net"
	"syscall"
)

// Listen opens a TCP listener on addr. When the port is taken it falls
// back to a free port on the same host and reports fellBack, so the app
// still starts when a second copy or another tool holds the default port.
func Listen(addr string) (ln net.Listener, fellBack bool, err error) {
	ln, err = net.Listen("tcp", addr)
	if err == nil {
		return ln, false, nil
	}
	if !errors.Is(err, syscall.EADDRINUSE) {
		return nil, false, fmt.Errorf("listen on %s: %w", addr, err)
	}
	host, _, splitErr := net.SplitHostPort(addr)
	if splitErr != nil {
		return nil, false, fmt.Errorf("listen on %s: %w", addr, err)
	}
	ln, err2 := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err2 != nil {
		return nil, false, fmt.Errorf("listen on %s: %w (and no free port: %v)", addr, err, err2)
	}
	return ln, true, nil
}

// URLFor returns the http URL, with a trailing slash, that reaches ln.
func URLFor(ln net.Listener) string {
	return "http://" + ln.Addr().String() + "/"
}
