from ecmactl.cli import main

main()
