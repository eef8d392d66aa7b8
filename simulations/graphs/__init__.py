"""Graph-limit toolkit: masks as bipartite graphs, empirical graphons, cut norms, homomorphism densities."""
