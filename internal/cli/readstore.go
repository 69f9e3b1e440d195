package cli

import (
	"context"

	"github.com/spf13/pflag"

	"github.com/cdaudit/cdaudit/config"
	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/store"
)

// readStoreFlags are the flags of the commands that only read the store
// (history, badge): where it is, and a config whose store: names it. They
// have no --no-store and no --retention: there is nothing to skip or prune.
type readStoreFlags struct {
	dsn, configFile string
}

func addReadStoreFlags(fl *pflag.FlagSet, rf *readStoreFlags) {
	fl.StringVar(&rf.dsn, "store", "", "audit history store to read: a SQLite path or postgres:// URL (default $CDAUDIT_STORE, the config's store, or "+defaultStoreHint()+")")
	fl.StringVarP(&rf.configFile, "config", "c", "", "YAML config `FILE` whose store: names the store")
}

// openReadStore opens the store read-only: --store, $CDAUDIT_STORE, the
// config's store, then the default path.
func (a *app) openReadStore(ctx context.Context, rf readStoreFlags) (*store.Store, error) {
	cfgStore, err := configStore(rf.configFile, sourceKeys(a.sources()))
	if err != nil {
		return nil, err
	}
	return a.openStoreReadOnly(ctx, storeFlags{dsn: rf.dsn}, cfgStore)
}

// configStore is the store: a config file names ("" without a file).
func configStore(file string, sourceKeys []string) (string, error) {
	if file == "" {
		return "", nil
	}
	cat, err := model.LoadCatalogue()
	if err != nil {
		return "", err
	}
	c, err := config.Load(file, cat, sourceKeys...)
	if err != nil {
		return "", usageErr("%w", err)
	}
	return c.Store, nil
}
