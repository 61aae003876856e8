echo in-l2; return 5
