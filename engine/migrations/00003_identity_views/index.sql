-- Reserved for the identity_views work; filled in by that change.
select 1;
