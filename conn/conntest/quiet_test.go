package conntest

import "github.com/pion/logging"

type discardLogger struct{}

func (discardLogger) NewLogger(string) logging.LeveledLogger { return discardLogger{} }
func (discardLogger) Trace(string)                           {}
func (discardLogger) Tracef(string, ...any)                  {}
func (discardLogger) Debug(string)                           {}
func (discardLogger) Debugf(string, ...any)                  {}
func (discardLogger) Info(string)                            {}
func (discardLogger) Infof(string, ...any)                   {}
func (discardLogger) Warn(string)                            {}
func (discardLogger) Warnf(string, ...any)                   {}
func (discardLogger) Error(string)                           {}
func (discardLogger) Errorf(string, ...any)                  {}
