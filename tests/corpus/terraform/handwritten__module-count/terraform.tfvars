instances_per_zone = 2
