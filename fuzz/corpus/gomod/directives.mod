module example.com/app

go 1.21

require (
	github.com/aquasecurity/go-version v0.0.0-20210121072130-637058cfe492
	"golang.org/x/xerrors" v0.0.0-20200804184101-5ec99f83aff1 // indirect
	example.com/old v1.0.0
	example.com/local v0.0.0
)

require github.com/single/line v1.2.3 // comment

replace example.com/old v1.0.0 => example.com/new v1.1.0
replace (
	example.com/local => ../local
)
exclude example.com/bad v0.0.1
