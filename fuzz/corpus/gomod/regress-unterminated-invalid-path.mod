modulÿÿÿmodule exaÿÿmodule example.com/app

go 1.21

require (
	github.com/aquasecurity/go-version v0.0.0-202101210module example.com/app

ÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿgo 1.21

	ex72130-637058cfe492
	"golÿÿÿÿÿÿÿÿÿÿÿÿÿÿangÿÿÿÿÿÿÿÿÿÿ.org/x/xerrors" v0.0ÿ`-2ample.com/old v1.0.0
	eÿÿxample.c0200804ÿÿ184101-5ec99f83aff1 m// inom/lpld