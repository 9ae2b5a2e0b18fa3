create sequence Visit_SEQ start with 1 increment by 50;
create table Visit (id bigint not null primary key, at timestamp(6) with time zone);
